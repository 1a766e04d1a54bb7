package io.cairn.agent.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
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

    /** Completes when the broker has acknowledged the record. */
    public Uni<Void> publish(AgentReport report) {
        return send(results, report.domain(), report);
    }

    public Uni<Void> publish(HostInventory hostInventory) {
        return send(inventory, hostInventory.hostId(), hostInventory);
    }

    private static Uni<Void> send(MutinyEmitter<String> emitter, String key, Object value) {
        String json;
        try {
            json = CairnJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return emitter.sendMessage(Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()));
    }
}
