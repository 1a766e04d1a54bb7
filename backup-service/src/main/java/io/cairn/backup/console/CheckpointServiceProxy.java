package io.cairn.backup.console;

import io.cairn.core.rest.RestAnswers;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The console's way to checkpoint-service, which owns the lineage: a browser talks only to backup-service (one
 * origin, no CORS), and each call is forwarded with the caller's own bearer token, so checkpoint-service decides roles
 * and domain scope exactly as for any REST caller. Its answer (status, type, body) is passed back unchanged.
 */
@ApplicationScoped
public class CheckpointServiceProxy {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    ConsoleConfig config;

    /** Forwards one call under {@code /api/v1/domains/{domain}/checkpoints}. */
    public Uni<Response> forward(String method, String authorization, String domain, String name,
            Map<String, String> query, String accept, String contentType, String body) {
        StringBuilder uri = new StringBuilder(config.checkpointUrl()).append("/api/v1/domains/")
                .append(encode(domain)).append("/checkpoints");
        if (name != null) {
            uri.append('/').append(encode(name));
        }
        if (!query.isEmpty()) {
            uri.append('?').append(query.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&")));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(config.checkpointTimeout())
                .header("Accept", accept == null ? MediaType.APPLICATION_JSON : accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null && body != null) {
            request.header("Content-Type", contentType);
        }
        if (!"GET".equals(method)) {
            // Each console click is one command: a click sent twice by a flaky network is still one.
            request.header("Idempotency-Key", "console-" + UUID.randomUUID());
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)))
                .map(CheckpointServiceProxy::passOn)
                .onFailure().recoverWithItem(failure -> RestAnswers.error(new CairnException(
                        VirErrorCode.VIR_ERR_SYSTEM_ERROR, "checkpoint-service is not reachable: " + failure.getMessage())
                        .toErrorInfo(), Response.Status.BAD_GATEWAY.getStatusCode()));
    }

    private static Response passOn(HttpResponse<String> answer) {
        Response.ResponseBuilder response = Response.status(answer.statusCode()).entity(answer.body());
        answer.headers().firstValue("Content-Type").ifPresent(type -> response.header("Content-Type", type));
        return response.build();
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
