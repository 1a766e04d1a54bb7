package io.cairn.checkpoint.service;

import io.cairn.core.command.CommandOutcomes;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.core.command.ProcessedCommandRepository;
import io.cairn.core.failure.Failures;
import io.cairn.core.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records in the lineage the checkpoint a backup created together with its bitmaps (libvirt's backup-begin with a
 * checkpoint): the backup's host made the bitmaps, so the lineage only follows, once per job, as the current
 * checkpoint's child, and says so with a checkpoint-created event.
 */
@ApplicationScoped
public class BackupCheckpoints {
    private static final Logger LOG = Logger.getLogger(BackupCheckpoints.class);
    static final String RECORD_TYPE = "backup.checkpoint";

    @Inject
    LineageStore lineage;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    OutboxRelay relay;

    /** Adds the started backup's checkpoint, unless this job's checkpoint was recorded already (redelivery). */
    public Uni<Void> record(BackupStartedEvent started) {
        if (started.checkpoint() == null) {
            return Uni.createFrom().voidItem();
        }
        String key = recordKey(started.jobId());
        return outcomes.isAnswered(key)
                .flatMap(seen -> seen ? Uni.createFrom().voidItem() : recordOnce(started, key))
                .onFailure(failure -> Failures.violates(failure, ProcessedCommandRepository.PRIMARY_KEY))
                .recoverWithNull()
                .invoke(relay::kick);
    }

    private Uni<Void> recordOnce(BackupStartedEvent started, String key) {
        return Panache.withTransaction(() -> lineage.update(started.domain(), tree -> {
            if (tree.contains(started.checkpoint().name())) {
                // Already there (redefined by hand after the host made it): the lineage keeps what it has.
                LOG.warnf("backup %s of %s created checkpoint %s, which the lineage already holds", started.jobId(),
                        started.domain(), started.checkpoint().name());
                return null;
            }
            return tree.create(started.checkpoint(), started.commandId());
        }).flatMap(created -> created == null ? Uni.createFrom().voidItem() : saveOutcome(started, key, created)));
    }

    private Uni<Void> saveOutcome(BackupStartedEvent started, String key, Checkpoint created) {
        // Derived from the job: the same backup can never announce its checkpoint under two ids.
        String eventId = UUID.nameUUIDFromBytes(("checkpoint-created/" + started.jobId())
                .getBytes(StandardCharsets.UTF_8)).toString();
        CheckpointCreatedEvent event = new CheckpointCreatedEvent(eventId, Instant.now(), started.domain(),
                started.commandId(), created.definition(), false);
        return outcomes.record(key, started.domain(), RECORD_TYPE, event).replaceWithVoid();
    }

    /** The processed-command key of a backup job's checkpoint: a space, which no user's commandId may hold. */
    static String recordKey(String jobId) {
        return "backup job " + jobId;
    }
}
