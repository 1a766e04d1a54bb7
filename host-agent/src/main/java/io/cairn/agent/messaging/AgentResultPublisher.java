package io.cairn.agent.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.json.CairnJson;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes what the agent has to say: request answers and job reports keyed by domain, inventory by host. */
@ApplicationScoped
public class AgentResultPublisher {

    @Inject
    @Channel("agent-results")
    MutinyEmitter<String> results;

    @Inject
    @Channel("host-inventory")
    MutinyEmitter<String> inventory;

    /**
     * Publishes {@code report} in the trace of {@code trace} (the request it answers, the job's start request), or
     * outside any trace when null; completes when the broker has acknowledged the record. The record's traceparent
     * is the connector's publish span's, a child of {@code trace}. Never the calling thread's context: QMP and worker
     * threads may still hold an earlier request's (context propagation restores a callback's context, not what the
     * thread had before), and a report must not land in another request's trace.
     */
    public Uni<Void> publish(AgentReport report, Context trace) {
        return send(results, report.domain(), report, trace);
    }

    /** Publishes the host's inventory in the trace of {@code trace} (a change made for a request), or in none. */
    public Uni<Void> publish(HostInventory hostInventory, Context trace) {
        return send(inventory, hostInventory.hostId(), hostInventory, trace);
    }

    private static Uni<Void> send(MutinyEmitter<String> emitter, String key, Object value, Context trace) {
        String json;
        try {
            json = CairnJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return emitter.sendMessage(Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .addMetadata(TracingMetadata.withCurrent(trace == null ? Context.root() : trace)));
    }
}
