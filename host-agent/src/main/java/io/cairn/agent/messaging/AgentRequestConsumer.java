package io.cairn.agent.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.operation.AgentOperations;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.MeasureBitmapsRequest;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.agent.ValidateBitmapsRequest;
import io.cairn.events.json.CairnJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes this host's requests from cairn.agent.commands, runs each once, and answers on cairn.agent.results. Every
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
    public Uni<Void> consume(String payload) {
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
        LOG.debugf("request %s (%s) for %s", request.requestId(), request.type(), request.domain());
        if (request instanceof StartBackupRequest start) {
            tracing.jobStarted(start.jobId(), trace);
        }
        // The journal does file I/O and operations may start processes: both stay off the event loop.
        return Uni.createFrom().deferred(() -> {
                    try (Scope ignored = trace.makeCurrent()) {
                        return answer(request);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(result -> {
                    if (!result.success() && request instanceof StartBackupRequest start) {
                        tracing.jobEnded(start.jobId()); // no job: no reports to come
                    }
                })
                .flatMap(result -> publisher.publish(result, trace).replaceWith(result))
                .invoke(result -> refreshInventoryAfter(request, result, trace))
                .onFailure().invoke(failure -> LOG.errorf(failure, "request %s (%s) for %s was not answered",
                        request.requestId(), request.type(), request.domain()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<AgentResult> answer(AgentRequest request) {
        var known = journal.find(request.requestId());
        if (known.isPresent()) {
            meters.counter("cairn.agent.requests.duplicate").increment();
            return Uni.createFrom().item(known.get());
        }
        return operations.execute(request)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(journal::record)
                .invoke(result -> meters.counter("cairn.agent.requests", "type", request.type(),
                        "success", String.valueOf(result.success())).increment());
    }

    private void refreshInventoryAfter(AgentRequest request, AgentResult result, Context trace) {
        boolean readOnly = request instanceof ValidateBitmapsRequest || request instanceof MeasureBitmapsRequest;
        if (!readOnly) {
            inventory.publishNow(trace).subscribe().with(ignored -> { },
                    failure -> LOG.warnf("inventory not refreshed: %s", failure.getMessage()));
        }
    }
}
