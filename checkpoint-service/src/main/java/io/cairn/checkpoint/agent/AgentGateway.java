package io.cairn.checkpoint.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.AgentReport;
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
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Asks a host agent to do something and waits for its answer: the request goes out on cairn.agent.commands, the
 * answer comes back on cairn.agent.results (which every replica reads whole, so the replica that asked sees it).
 * A request unanswered within the bound fails with VIR_ERR_OPERATION_TIMEOUT; undoing its late effect is the
 * caller's job, since only the caller knows what the undo is.
 */
@ApplicationScoped
public class AgentGateway {
    private static final Logger LOG = Logger.getLogger(AgentGateway.class);

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
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException())
                .onFailure(TimeoutException.class).transform(failure -> new CairnException(
                        VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, "the host agent of '" + request.domain()
                        + "' did not answer " + request.type() + " within " + timeout.toSeconds() + " s"))
                .eventually(() -> pending.remove(request.requestId()));
        return caller == null ? result : result.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** Sends without waiting for the answer: for undo work that must happen whether or not anybody waits. */
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

    @Incoming("agent-results")
    public void onReport(String payload) {
        try {
            AgentReport report = CairnJson.mapper().readValue(payload, AgentReport.class);
            if (report instanceof AgentResult result) {
                CompletableFuture<AgentResult> waiting = pending.get(result.requestId());
                if (waiting != null) {
                    waiting.complete(result);
                }
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable agent report: %s", e.getMessage());
        }
    }
}
