package io.cairn.core.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.core.config.AgentGatewayConfig;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.AgentTopics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Asks a host agent to do something and waits for its answer: the request goes out on its host's
 * cairn.agent.&lt;host&gt;.commands, the answer comes back on that host's results topic (read whole by every replica, see
 * {@link AgentAnswersConsumer}). An answer is matched by host and request id, and believed only from the host's own
 * topic, so one host can never answer another's request, and two callers asking
 * the same question share one answer. Unanswered within the bound, a call fails with VIR_ERR_OPERATION_TIMEOUT.
 * A call's request carries a "start by" instant ({@link AgentRequest#START_BY_HEADER}) before the bound, so an agent
 * that gets it late (it was down, or its consumer group was rebalancing) refuses it instead of doing what the caller
 * has already reported as not done; undoing what a request started in time may still do is the caller's job, since
 * only the caller knows what the undo is.
 */
@ApplicationScoped
public class AgentGateway {

    /** Who waits for which answer. */
    record PendingKey(String hostId, String requestId) {
    }

    private final Map<PendingKey, CompletableFuture<AgentResult>> pending = new ConcurrentHashMap<>();

    @Inject
    @Channel("agent-requests")
    MutinyEmitter<String> requests;

    @Inject
    AgentGatewayConfig config;

    @Inject
    HostDirectory hosts;

    /** The agent's answer; emitted on the caller's Vert.x context (Hibernate Reactive sessions are bound to it). */
    public Uni<AgentResult> call(AgentRequest request) {
        Context caller = Vertx.currentContext();
        PendingKey key = new PendingKey(request.hostId(), request.requestId());
        CompletableFuture<AgentResult> answer = pending.computeIfAbsent(key, k -> new CompletableFuture<>());
        Uni<AgentResult> result = send(request, startBy(Instant.now()))
                .flatMap(sent -> Uni.createFrom().completionStage(answer))
                .ifNoItem().after(config.timeout()).failWith(TimeoutException::new)
                .onFailure(TimeoutException.class).transform(failure -> new CairnException(
                        VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, "the host agent of '" + request.domain() + "' on "
                        + request.hostId() + " did not answer " + request.type() + " within "
                        + config.timeout().toSeconds() + " s"))
                .eventually(() -> pending.remove(key, answer));
        return caller == null ? result : result.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** Sends without waiting for the answer: for undo work that must happen whether or not anybody waits. */
    public Uni<Void> send(AgentRequest request) {
        return send(request, null);
    }

    /** The last instant at which an agent may start a request sent at {@code sent} by a caller that waits for it. */
    Instant startBy(Instant sent) {
        Duration timeout = config.timeout();
        Duration reserve = config.runReserve();
        Duration third = timeout.dividedBy(3);
        return sent.plus(timeout.minus(reserve.compareTo(third) > 0 ? third : reserve));
    }

    private Uni<Void> send(AgentRequest request, Instant startBy) {
        if (hosts.lastSeen(request.hostId()).isEmpty()) {
            // Every onboarded host reports at start, so a host never heard of has no agent (and maybe no topics):
            // sending would only hold the producer's one thread until Kafka gives up on the topic.
            return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                    "cannot send " + request.type() + " to host " + request.hostId()
                    + ": no agent of that host has ever reported"));
        }
        String json;
        try {
            json = CairnJson.mapper().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(request.domain())
                .withTopic(AgentTopics.commands(request.hostId()));
        if (startBy != null) {
            metadata.withHeaders(new RecordHeaders().add(AgentRequest.START_BY_HEADER,
                    startBy.toString().getBytes(StandardCharsets.UTF_8)));
        }
        String topic = AgentTopics.commands(request.hostId());
        return requests.sendMessage(Message.of(json).addMetadata(metadata.build()))
                // Kafka's refusals (no such topic: a host never onboarded; no right to it) in libvirt's terms.
                .onFailure(failure -> !(failure instanceof CairnException)).transform(failure -> new CairnException(
                        VirErrorCode.VIR_ERR_OPERATION_FAILED, "cannot send " + request.type() + " to the agent of "
                        + request.hostId() + " on " + topic + ": " + failure.getMessage()));
    }

    /** Hands an answer to whoever waits for it; answers to other replicas' or services' requests are nobody's here. */
    public void answer(AgentResult result) {
        CompletableFuture<AgentResult> waiting = pending.get(new PendingKey(result.hostId(), result.requestId()));
        if (waiting != null) {
            waiting.complete(result);
        }
    }

    /** How many calls wait for an answer now (for tests and metrics). */
    public int waiting() {
        return pending.size();
    }
}
