package io.cairn.backup.service;

import io.cairn.backup.repository.PersistenceFailures;
import io.cairn.events.command.Command;
import io.cairn.events.error.CairnException;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one way a backup command is applied, from Kafka or REST: at most once per commandId, a refusal recorded as a
 * command-rejected with libvirt's error, and a duplicate answered with the first outcome.
 */
@ApplicationScoped
public class BackupCommandHandler {
    private static final String PROCESSED_KEY = "processed_command_pkey";

    @Inject
    CommandOutcomes outcomes;

    @Inject
    OutboxRelay relay;

    @Inject
    BackupCommands commands;

    /**
     * The command's outcome so far: its rejection, its recorded event, or null when the outcome is still to come as
     * events of its job (a begin is answered by backup-started, or by a rejection if the agent refuses).
     */
    public Uni<CairnEvent> handle(Command command) {
        return outcomes.find(command.commandId())
                .flatMap(seen -> seen != null ? republish(seen) : applyOnce(command))
                .invoke(relay::kick);
    }

    /** A rejection that happened before the command could even be read (malformed value, bad flags). */
    public Uni<CairnEvent> reject(CommandRejectedEvent rejection) {
        if (rejection.commandId() == null) {
            return outcomes.publish(rejection).replaceWith((CairnEvent) rejection).invoke(relay::kick);
        }
        return outcomes.find(rejection.commandId())
                .flatMap(seen -> seen != null ? republish(seen) : outcomes.record(rejection.commandId(),
                        rejection.domain(), rejection.commandType() == null ? "unknown" : rejection.commandType(),
                        rejection))
                .invoke(relay::kick);
    }

    private Uni<CairnEvent> applyOnce(Command command) {
        return Uni.createFrom().deferred(() -> commands.apply(command))
                .onFailure(CairnException.class).recoverWithUni(failure -> outcomes.record(command.commandId(),
                        command.domain(), command.type(), CommandRejectedEvent.of(command, (CairnException) failure)))
                // Two deliveries racing on one commandId: the loser answers with the winner's outcome.
                .onFailure(failure -> PersistenceFailures.violates(failure, PROCESSED_KEY))
                .recoverWithUni(failure -> outcomes.find(command.commandId()));
    }

    /** The first outcome again, with the same eventId: the sender may have missed it, consumers dedupe. */
    private Uni<CairnEvent> republish(CairnEvent seen) {
        return Panache.withTransaction(() -> outcomes.publish(seen)).replaceWith(seen);
    }
}
