package io.cairn.backup.messaging;

import io.cairn.backup.service.BackupCommandHandler;
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
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads users' commands from cairn.backup.commands. A readable command goes to the handler; a record that names
 * a command but breaks the contract gets a command-rejected event; a record that cannot even be attributed to a
 * command (no commandId) is nacked into the dead-letter topic with the reason. The channel never stops.
 */
@ApplicationScoped
public class BackupCommandConsumer {
    private static final Logger LOG = Logger.getLogger(BackupCommandConsumer.class);

    private final CommandReader reader = new CommandReader();

    @Inject
    BackupCommandHandler handler;

    @Incoming("backup-commands")
    public Uni<Void> consume(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (String) metadata.getKey()).orElse(null);
        String value = message.getPayload();
        Uni<?> outcome;
        try {
            Command command = reader.read(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
            outcome = handler.handle(command);
        } catch (InvalidCommandException invalid) {
            if (invalid.commandId() == null) {
                LOG.warnf("dead-lettering a record that names no command (key %s): %s", key, invalid.getMessage());
                return fromStage(message.nack(invalid));
            }
            outcome = handler.reject(CommandRejectedEvent.of(invalid, key));
        }
        // A failure here is infrastructure (database or broker down): nack so the record is not lost silently;
        // the dead-letter strategy keeps the channel alive and keeps the record with its reason.
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
