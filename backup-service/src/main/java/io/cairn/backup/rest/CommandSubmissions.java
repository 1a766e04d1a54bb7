package io.cairn.backup.rest;

import io.cairn.backup.service.BackupCommands;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.command.IdempotentCommands;
import io.cairn.core.rest.RestAnswers;
import io.cairn.events.command.Command;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * How a REST write of a backup command that starts long work answers, once for every resource: the command runs like
 * its Kafka twin; the answer is its rejection, its outcome if the work ended already, or 202 with where to follow it.
 */
@ApplicationScoped
public class CommandSubmissions {

    @Inject
    IdempotentCommands commands;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    BackupCommands backupCommands;

    /** {@code follow} gives the 202's body for a command still at work (its commandId at least). */
    public Uni<Response> submit(Command command, Function<String, Uni<Map<String, String>>> follow) {
        return commands.handle(command, backupCommands).flatMap(outcome -> outcome != null
                ? Uni.createFrom().item(answer(outcome))
                : outcomes.find(command.commandId()).flatMap(ended -> ended != null
                        ? Uni.createFrom().item(answer(ended))
                        : follow.apply(command.commandId()).map(body -> Response.accepted(body)
                                .type(MediaType.APPLICATION_JSON).build())));
    }

    /** The Idempotency-Key as the commandId, or a fresh one. */
    public static String commandId(String idempotencyKey) {
        return idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey : "rest-" + UUID.randomUUID();
    }

    private static Response answer(CairnEvent outcome) {
        if (outcome instanceof CommandRejectedEvent rejected) {
            return RestAnswers.outcome(rejected);
        }
        return Response.ok(outcome).type(MediaType.APPLICATION_JSON).build();
    }
}
