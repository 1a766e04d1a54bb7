package io.cairn.agent.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.operation.AgentOperations;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.MeasureBitmapsRequest;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.agent.ValidateBitmapsRequest;
import io.cairn.events.json.CairnJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes this host's requests from its own commands topic, runs each once, and answers on its own results topic. Every
 * agent reads every request (its own consumer group) and keeps those addressed to its host id. Nothing here fails
 * the channel: a malformed record is counted and skipped, so one bad record never stops the agent.
 */
@ApplicationScoped
public class AgentRequestConsumer {
    private static final Logger LOG = Logger.getLogger(AgentRequestConsumer.class);

    @Inject
    AgentConfig config;

    @Inject
    AgentOperations operations;

    @Inject
    ResultJournal journal;

    @Inject
    AgentResultPublisher publisher;

    @Inject
    InventoryPublisher inventory;

    @Inject
    MeterRegistry meters;

    @Inject
    AgentTracing tracing;

    @Incoming("agent-commands")
    public Uni<Void> consume(String payload, IncomingKafkaRecordMetadata<String, String> record) {
        AgentRequest request;
        try {
            request = CairnJson.mapper().readValue(payload, AgentRequest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            meters.counter("cairn.agent.requests.malformed").increment();
            LOG.warnf("skipping a malformed agent request: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (request == null || request.hostId() == null || !request.hostId().equals(config.hostId())) {
            return Uni.createFrom().voidItem();
        }
        // The request's trace (from its traceparent header, made current by the connector): its QMP commands,
        // its answer and, for a backup start, the job's reports belong to it, whichever thread they run on.
        Context trace = Context.current();
        Instant startBy = startBy(record, request);
        LOG.debugf("request %s (%s) for %s", request.requestId(), request.type(), request.domain());
        if (request instanceof StartBackupRequest start) {
            tracing.jobStarted(start.jobId(), trace);
        }
        // The journal does file I/O and operations may start processes: both stay off the event loop.
        return Uni.createFrom().deferred(() -> {
                    try (Scope ignored = trace.makeCurrent()) {
                        return answer(request, startBy);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(answered -> {
                    if (!answered.result().success() && request instanceof StartBackupRequest start) {
                        tracing.jobEnded(start.jobId()); // no job: no reports to come
                    }
                })
                .call(answered -> publisher.publish(answered.result(), trace))
                // A request answered from the journal (redelivered) changed nothing: no new inventory for it.
                .invoke(answered -> {
                    if (!answered.fromJournal()) {
                        refreshInventoryAfter(request, answered.result(), trace);
                    }
                })
                .onFailure().invoke(failure -> LOG.errorf(failure, "request %s (%s) for %s was not answered",
                        request.requestId(), request.type(), request.domain()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** A request's answer, and whether it was the journal's (a redelivery) rather than new work. */
    private record Answered(AgentResult result, boolean fromJournal) {
    }

    private Uni<Answered> answer(AgentRequest request, Instant startBy) {
        var known = journal.find(request.requestId());
        if (known.isPresent()) {
            meters.counter("cairn.agent.requests.duplicate").increment();
            return Uni.createFrom().item(new Answered(known.get(), true));
        }
        return operations.execute(request, startBy)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(journal::record)
                .invoke(result -> meters.counter("cairn.agent.requests", "type", request.type(),
                        "success", String.valueOf(result.success())).increment())
                .map(result -> new Answered(result, false));
    }

    /** The request's "start by" header; one that cannot be read counts as absent (the request is run), and logged. */
    private Instant startBy(IncomingKafkaRecordMetadata<String, String> record, AgentRequest request) {
        Header header = record == null ? null : record.getHeaders().lastHeader(AgentRequest.START_BY_HEADER);
        if (header == null) {
            return null;
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            LOG.warnf("request %s: unreadable %s header '%s'; running it without a deadline", request.requestId(),
                    AgentRequest.START_BY_HEADER, value);
            return null;
        }
    }

    private void refreshInventoryAfter(AgentRequest request, AgentResult result, Context trace) {
        boolean readOnly = request instanceof ValidateBitmapsRequest || request instanceof MeasureBitmapsRequest
                || request instanceof StartRestoreRequest // a restore changes no QEMU state
                || request instanceof io.cairn.events.agent.EndRestoreRequest
                || request instanceof io.cairn.events.agent.ApplyRetentionRequest; // nor does retention
        if (!readOnly) {
            inventory.publishNow(trace).subscribe().with(ignored -> { },
                    failure -> LOG.warnf("inventory not refreshed: %s", failure.getMessage()));
        }
    }
}
