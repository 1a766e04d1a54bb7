package io.cairn.cli.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.cli.CliFailure;
import io.cairn.cli.config.CliConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The one client of Cairn's public REST APIs (checkpoint-service and backup-service) with the bearer token: turns
 * an error answer into a {@link CliFailure} with libvirt's name and number, and an unreachable service into one too.
 */
public final class CairnApi {
    /** The service a path belongs to. */
    public enum Service { CHECKPOINT, BACKUP }

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final CliConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public CairnApi(CliConfig config) {
        this.config = config;
    }

    /** A successful answer: its status and body (JSON or XML text). */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliFailure("VIR_ERR_INTERNAL_ERROR", 1, "unreadable answer from Cairn: " + e.getMessage(),
                        io.cairn.cli.ExitCodes.CAIRN_ERROR);
            }
        }
    }

    public JsonNode getJson(Service service, String path) {
        return send(service, request(service, path).header("Accept", "application/json").GET()).json();
    }

    public String getXml(Service service, String path) {
        return send(service, request(service, path).header("Accept", "application/xml").GET()).body();
    }

    /** A write; {@code commandId} becomes the Idempotency-Key, so waiting on its outcome is exact. */
    public Answer post(Service service, String path, String contentType, String body, String commandId) {
        return send(service, request(service, path).header("Content-Type", contentType)
                .header("Accept", "application/json").header("Idempotency-Key", commandId)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A replace of a setting (a retention policy): idempotent by nature, so no key. */
    public Answer put(Service service, String path, String body) {
        return send(service, request(service, path).header("Content-Type", "application/json")
                .header("Accept", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer delete(Service service, String path, String commandId) {
        return send(service, request(service, path).header("Accept", "application/json")
                .header("Idempotency-Key", commandId).DELETE());
    }

    /**
     * The outcome of a command, or null while it has none (404), the service waiting up to {@code wait} for it
     * (a service older than {@code ?wait} ignores it and answers at once).
     */
    public JsonNode commandOutcome(Service service, String commandId, Duration wait) {
        HttpResponse<String> response = exchange(service, request(service, "/api/v1/commands/" + segment(commandId)
                + "?wait=" + wait).header("Accept", "application/json").GET());
        if (response.statusCode() == 404 && "NOT_FOUND".equals(code(response.body()))) {
            return null;
        }
        return check(response).json();
    }

    /** One path segment, percent-encoded (a domain or checkpoint name). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(Service service, String path) {
        String base = service == Service.CHECKPOINT ? config.checkpointUrl() : config.backupUrl();
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + config.requireToken());
    }

    private Answer send(Service service, HttpRequest.Builder request) {
        return check(exchange(service, request));
    }

    private HttpResponse<String> exchange(Service service, HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw CliFailure.unreachable("cannot connect to " + name(service) + " at " + built.uri().getScheme()
                    + "://" + built.uri().getAuthority() + " (" + variable(service) + ")");
        } catch (HttpTimeoutException e) {
            throw CliFailure.unreachable(name(service) + " did not answer " + built.method() + " " + built.uri().getPath()
                    + " in time");
        } catch (IOException e) {
            throw CliFailure.unreachable("talking to " + name(service) + " at " + built.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unreachable("interrupted");
        }
    }

    /** 2xx is an answer; anything else carries libvirt's error body ({@code code}, {@code number}, {@code message}). */
    private static Answer check(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Answer(status, response.body());
        }
        JsonNode error = parse(response.body());
        if (error != null && error.hasNonNull("code") && error.hasNonNull("number")) {
            throw CliFailure.fromCairn(error.get("code").asText(), error.get("number").asInt(),
                    error.path("message").asText(""));
        }
        if (status == 401) {
            throw CliFailure.fromCairn("VIR_ERR_AUTH_FAILED", 45, "authentication failed (HTTP 401)");
        }
        throw CliFailure.fromCairn("VIR_ERR_INTERNAL_ERROR", 1, "HTTP " + status + " from "
                + response.request().method() + " " + response.request().uri().getPath() + ": " + response.body());
    }

    private static String code(String body) {
        JsonNode node = parse(body);
        return node == null ? null : node.path("code").asText(null);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String name(Service service) {
        return service == Service.CHECKPOINT ? "checkpoint-service" : "backup-service";
    }

    private static String variable(Service service) {
        return service == Service.CHECKPOINT ? "CAIRN_CHECKPOINT_URL" : "CAIRN_BACKUP_URL";
    }
}
