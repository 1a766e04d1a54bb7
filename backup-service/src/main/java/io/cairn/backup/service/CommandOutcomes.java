package io.cairn.backup.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.backup.repository.ProcessedCommand;
import io.cairn.backup.repository.ProcessedCommandRepository;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.events.outbox.EventOutbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Records a command's outcome (processed_command) together with its event in the outbox. A begin command's outcome
 * can come long after the command (a queued job, an agent's first report), so it is recorded wherever it happens.
 */
@ApplicationScoped
public class CommandOutcomes {

    @Inject
    ProcessedCommandRepository processed;

    @Inject
    EventOutbox outbox;

    @Inject
    Clock clock;

    /** Joins the caller's transaction if there is one: the outcome commits with the change it reports. */
    public Uni<CairnEvent> record(String commandId, String domain, String type, CairnEvent outcome) {
        return Panache.withTransaction(() -> processed.findById(commandId).flatMap(seen -> {
            if (seen != null) {
                // Already answered (a redelivery raced us): the first answer stands.
                return Uni.createFrom().item(outcome);
            }
            ProcessedCommand row = new ProcessedCommand();
            row.commandId = commandId;
            row.domain = domain;
            row.commandType = type;
            row.processedAt = OffsetDateTime.now(clock);
            try {
                row.outcome = CairnJson.mapper().writeValueAsString(outcome);
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(e);
            }
            return processed.persist(row).flatMap(saved -> outbox.add(outcome)).replaceWith(outcome);
        }));
    }

    /** An event that answers no command of its own (progress, completion). */
    public Uni<Void> publish(CairnEvent event) {
        return Panache.withTransaction(() -> outbox.add(event));
    }

    /** The first outcome of a command, or null when it has none yet. */
    public Uni<CairnEvent> find(String commandId) {
        return Panache.withSession(() -> processed.findById(commandId)).map(seen -> {
            if (seen == null) {
                return null;
            }
            try {
                return CairnJson.mapper().readValue(seen.outcome, CairnEvent.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable outcome of command " + commandId, e);
            }
        });
    }
}
