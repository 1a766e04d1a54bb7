package io.cairn.checkpoint.messaging;

import io.cairn.checkpoint.repository.TransientFailures;
import io.cairn.checkpoint.service.CheckpointCommandHandler;
import io.cairn.events.command.Command;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.InvalidCommandException;
import io.cairn.events.event.CommandRejectedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads users' commands from cairn.checkpoint.commands. A readable command goes to the handler; a record that names
 * a command but breaks the contract gets a command-rejected event; a record that cannot even be attributed to a
 * command (no commandId) is nacked into the dead-letter topic with the reason. A command that meets an unavailable
 * database waits for it, so it is answered once the database is back. The channel never stops.
 */
@ApplicationScoped
public class CheckpointCommandConsumer {
    private static final Logger LOG = Logger.getLogger(CheckpointCommandConsumer.class);

    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);
    private static final Duration CONFLICT_RETRY_FIRST = Duration.ofMillis(20);
    /** Conflicts are races, not outages: a command that keeps losing is dead-lettered with its reason. */
    private static final int CONFLICT_RETRIES = 5;

    private final CommandReader reader = new CommandReader();

    @Inject
    CheckpointCommandHandler handler;

    @Incoming("checkpoint-commands")
    public Uni<Void> consume(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (String) metadata.getKey()).orElse(null);
        String value = message.getPayload();
        Uni<?> outcome;
        try {
            Command command = reader.read(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
            outcome = Uni.createFrom().deferred(() -> handler.handle(command));
        } catch (InvalidCommandException invalid) {
            if (invalid.commandId() == null) {
                LOG.warnf("dead-lettering a record that names no command (key %s): %s", key, invalid.getMessage());
                return fromStage(message.nack(invalid));
            }
            outcome = Uni.createFrom().deferred(() -> handler.reject(CommandRejectedEvent.of(invalid, key)));
        }
        // A database that is away (restart, failover) would dead-letter every command it misses, unanswered:
        // retry those until it is back. The record's partition waits, which keeps each domain's commands in order;
        // the handler's commandId check makes a retry after a commit that only looked failed harmless.
        Uni<?> retried = onThisContext(outcome)
                // A concurrent writer won a version check: run the command again on the new state, a few times.
                .onFailure(TransientFailures::isConflict).invoke(failure -> LOG.infof(
                        "concurrent change for the command with key %s, running it again: %s", key,
                        failure.getMessage()))
                .onFailure(TransientFailures::isConflict).retry().withBackOff(CONFLICT_RETRY_FIRST, RETRY_MAX)
                .atMost(CONFLICT_RETRIES)
                .onFailure(TransientFailures::isTransient).invoke(failure -> LOG.warnf(
                        "database unavailable for the command with key %s, retrying: %s", key, failure.getMessage()))
                .onFailure(TransientFailures::isTransient).retry().withBackOff(RETRY_FIRST, RETRY_MAX)
                .atMost(Long.MAX_VALUE);
        // Any other failure is infrastructure too, or a bug: nack so the record is not lost silently; the
        // dead-letter strategy keeps the channel alive and keeps the record with its reason.
        return retried.onItem().transformToUni(done -> fromStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf(failure, "command from record with key %s failed", key);
                    return fromStage(message.nack(failure));
                });
    }

    /**
     * Every (re)subscription runs on the message's Vert.x context: a retry's back-off would otherwise resume on a
     * Mutiny worker thread, where Hibernate Reactive refuses to run.
     */
    private static <T> Uni<T> onThisContext(Uni<T> work) {
        Context context = Vertx.currentContext();
        return context == null ? work : work.runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private static Uni<Void> fromStage(CompletionStage<Void> stage) {
        return Uni.createFrom().completionStage(stage);
    }
}
