package io.cairn.checkpoint.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.checkpoint.repository.ProcessedCommand;
import io.cairn.checkpoint.repository.ProcessedCommandRepository;
import io.cairn.events.command.Command;
import io.cairn.events.error.CairnException;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.events.outbox.EventOutbox;
import io.cairn.events.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one way a checkpoint command is applied, whether it came from Kafka or REST: at most once per commandId, with
 * its outcome event committed in the same transaction as the change (outbox), and the same outcome re-published
 * for a duplicate.
 */
@ApplicationScoped
public class CheckpointCommandHandler {

    @Inject
    ProcessedCommandRepository processed;

    @Inject
    EventOutbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    CheckpointCommands commands;

    /** The command's outcome: the event it produced, or its rejection. */
    public Uni<CairnEvent> handle(Command command) {
        return Panache.withSession(() -> processed.findById(command.commandId()))
                .flatMap(seen -> seen != null ? republish(seen) : applyOnce(command))
                .invoke(relay::kick);
    }

    /** A rejection that happened before the command could even be read (malformed value, bad flags). */
    public Uni<CairnEvent> reject(CommandRejectedEvent rejection) {
        if (rejection.commandId() == null) {
            return Panache.withTransaction(() -> outbox.add(rejection)).replaceWith((CairnEvent) rejection)
                    .invoke(relay::kick);
        }
        return Panache.withSession(() -> processed.findById(rejection.commandId()))
                .flatMap(seen -> seen != null ? republish(seen) : record(rejection.commandId(), rejection.domain(),
                        rejection.commandType() == null ? "unknown" : rejection.commandType(), rejection))
                .invoke(relay::kick);
    }

    private Uni<CairnEvent> applyOnce(Command command) {
        return Panache.withTransaction(() -> commands.apply(command)
                        .flatMap(event -> saveOutcome(command.commandId(), command.domain(), command.type(), event)))
                // A refused command changes nothing; its rejection is recorded in a transaction of its own, so a
                // database error that aborted the first transaction cannot take the rejection down with it.
                .onFailure(CairnException.class).recoverWithUni(failure -> record(command.commandId(),
                        command.domain(), command.type(), CommandRejectedEvent.of(command, (CairnException) failure)))
                // Two deliveries racing on one commandId: the loser finds the winner's outcome.
                .onFailure(ProcessedCommandRepository::isDuplicateKey).recoverWithUni(failure -> Panache
                        .withSession(() -> processed.findById(command.commandId())).flatMap(this::republish));
    }

    private Uni<CairnEvent> record(String commandId, String domain, String type, CairnEvent outcome) {
        return Panache.withTransaction(() -> saveOutcome(commandId, domain, type, outcome));
    }

    private Uni<CairnEvent> saveOutcome(String commandId, String domain, String type, CairnEvent outcome) {
        return processed.persist(ProcessedCommand.of(commandId, domain, type, outcome))
                .flatMap(saved -> outbox.add(outcome)).replaceWith(outcome);
    }

    /** The first outcome again, published once more: the sender may have missed it. Same eventId: consumers dedupe. */
    private Uni<CairnEvent> republish(ProcessedCommand seen) {
        CairnEvent outcome;
        try {
            outcome = CairnJson.mapper().readValue(seen.outcome, CairnEvent.class);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.withTransaction(() -> outbox.add(outcome)).replaceWith(outcome);
    }
}
