package io.cairn.core.command;

import io.cairn.events.command.Command;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.InvalidCommandException;
import io.cairn.events.event.CommandRejectedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The consumer skeleton of both services' command topics. A readable command goes to {@link IdempotentCommands}; a
 * record that names a command but breaks the contract gets a command-rejected; a record that cannot even be
 * attributed to a command (poison: no commandId) is nacked into the dead-letter topic with its reason. The channel
 * never stops.
 */
@ApplicationScoped
public class CommandIntake {
    private static final Logger LOG = Logger.getLogger(CommandIntake.class);

    private final CommandReader reader = new CommandReader();

    @Inject
    IdempotentCommands commands;

    public Uni<Void> consume(Message<String> message, CommandWork work) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (String) metadata.getKey()).orElse(null);
        String value = message.getPayload();
        Uni<?> outcome;
        try {
            Command command = reader.read(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
            outcome = commands.handle(command, work);
        } catch (InvalidCommandException invalid) {
            if (invalid.commandId() == null) {
                LOG.warnf("dead-lettering a record that names no command (key %s): %s", key, invalid.getMessage());
                return fromStage(message.nack(invalid));
            }
            outcome = commands.reject(CommandRejectedEvent.of(invalid, key));
        }
        // What still fails was answered nowhere (the handler answers permanent and lasting transient failures
        // itself): nack so the record is kept in the dead-letter topic with its reason, and the channel goes on.
        return outcome.onItem().transformToUni(done -> fromStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf(failure, "command from record with key %s failed", key);
                    return fromStage(message.nack(failure));
                });
    }

    private static Uni<Void> fromStage(CompletionStage<Void> stage) {
        return Uni.createFrom().completionStage(stage);
    }
}
