package io.cairn.core.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.core.trace.TraceHeaders;
import io.cairn.events.cloudevents.CloudEventHeaders;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Puts an event into the outbox inside the caller's transaction; the relay publishes it once that commits. */
@ApplicationScoped
public class EventOutbox {

    @Inject
    OutboxRepository repository;

    @Inject
    OutboxDestination destination;

    /** Must run inside a transaction: the event commits or rolls back with the change it reports. */
    public Uni<Void> add(CairnEvent event) {
        return repository.persist(toRow(event, destination)).replaceWithVoid();
    }

    static OutboxEvent toRow(CairnEvent event, OutboxDestination destination) {
        OutboxEvent row = new OutboxEvent();
        row.topic = destination.topic();
        row.recordKey = event.domain();
        row.eventId = event.eventId();
        row.eventType = event.type();
        row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            row.payload = CairnJson.mapper().writeValueAsString(event);
            Map<String, String> headers = new LinkedHashMap<>();
            CloudEventHeaders.forEvent(event, destination.source())
                    .forEach((name, value) -> headers.put(name, new String(value, StandardCharsets.UTF_8)));
            // The trace of the command (or request) that produced the event: the relay publishes it later from a
            // context of its own, and continues this trace instead of starting one.
            TraceHeaders.addCurrent(headers);
            row.headers = CairnJson.mapper().writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize event " + event.type(), e);
        }
        return row;
    }
}
