package io.cairn.backup.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Asks a host agent to do something and waits for its answer: requests go out on cairn.agent.commands, answers come
 * back on cairn.agent.results (read by {@link io.cairn.backup.messaging.AgentResultConsumer}). Copied from
 * checkpoint-service's gateway until the two move to a shared module.
 */
@ApplicationScoped
public class AgentGateway {

    private final Map<String, CompletableFuture<AgentResult>> pending = new ConcurrentHashMap<>();

    @Inject
    @Channel("agent-requests")
    MutinyEmitter<String> requests;

    @ConfigProperty(name = "cairn.agent-gateway.timeout", defaultValue = "30s")
    Duration timeout;

    /** The agent's answer; emitted on the caller's Vert.x context (Hibernate Reactive sessions are bound to it). */
    public Uni<AgentResult> call(AgentRequest request) {
        Context caller = Vertx.currentContext();
        CompletableFuture<AgentResult> answer = new CompletableFuture<>();
        pending.put(request.requestId(), answer);
        Uni<AgentResult> result = send(request)
                .flatMap(sent -> Uni.createFrom().completionStage(answer))
                .ifNoItem().after(timeout).failWith(TimeoutException::new)
                .onFailure(TimeoutException.class).transform(failure -> new CairnException(
                        VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, "the host agent of '" + request.domain()
                        + "' did not answer " + request.type() + " within " + timeout.toSeconds() + " s"))
                .eventually(() -> pending.remove(request.requestId()));
        return caller == null ? result : result.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** Sends without waiting for the answer. */
    public Uni<Void> send(AgentRequest request) {
        String json;
        try {
            json = CairnJson.mapper().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return requests.sendMessage(Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(request.domain()).build()));
    }

    /** Hands an answer to whoever waits for it; answers to other services' requests are nobody's here. */
    public void answer(AgentResult result) {
        CompletableFuture<AgentResult> waiting = pending.get(result.requestId());
        if (waiting != null) {
            waiting.complete(result);
        }
    }

    /** A refusal as the libvirt error the agent named (VIR_ERR_INTERNAL_ERROR for a code this side does not know). */
    public static CairnException refusal(AgentResult result) {
        if (result.error() == null) {
            return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "the host agent refused " + result
                    .requestType() + " without saying why");
        }
        VirErrorCode code = VirErrorCode.VIR_ERR_INTERNAL_ERROR;
        for (VirErrorCode candidate : VirErrorCode.values()) {
            if (candidate.name().equals(result.error().code())) {
                code = candidate;
            }
        }
        return new CairnException(code, result.error().message());
    }
}
