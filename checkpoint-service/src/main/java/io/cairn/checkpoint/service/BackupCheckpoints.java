package io.cairn.checkpoint.service;

import io.cairn.core.command.CommandOutcomes;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.core.agent.AgentGateway;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.RemoveBitmapsRequest;
import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.model.CheckpointDiskMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
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
 * checkpoint's child, and says so with a checkpoint-created event. A backup that then does not succeed takes its
 * checkpoint back: a checkpoint created with a backup exists only if that backup succeeded.
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

    @Inject
    HostDirectory hosts;

    @Inject
    AgentGateway agents;

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

    /**
     * Takes back the checkpoint a backup created when the backup did not succeed (Cairn's rule, stricter than
     * libvirt's): an incremental from it would build a chain with no valid base. The lineage forgets it (its children,
     * if any, move to its parent) with a checkpoint-deleted event in the same transaction, then its bitmaps are
     * removed on the host (sent, not awaited: the agent's request queue keeps the removal until the agent is back).
     * Idempotent by state: a redelivery finds no checkpoint of that job any more.
     */
    public Uni<Void> forgetIfFailed(BackupCompletedEvent completed) {
        if (completed.success()) {
            return Uni.createFrom().voidItem();
        }
        String begin = completed.beginCommandId() != null ? completed.beginCommandId() : completed.commandId();
        if (begin == null) {
            return Uni.createFrom().voidItem();
        }
        return lineage.update(completed.domain(), tree -> {
                    Optional<Checkpoint> made = tree.checkpoints().stream()
                            .filter(checkpoint -> begin.equals(checkpoint.createdBy())).findFirst();
                    made.ifPresent(checkpoint -> tree.delete(checkpoint.name(),
                            EnumSet.of(CheckpointDeleteFlag.METADATA_ONLY)));
                    return made;
                }, made -> made.isEmpty() ? Uni.createFrom().item(made)
                        : outcomes.publish(forgotten(completed, made.get())).replaceWith(made))
                .invoke(relay::kick)
                .flatMap(made -> made.isEmpty() ? Uni.createFrom().voidItem()
                        : removeBitmaps(completed, made.get()));
    }

    private Uni<Void> removeBitmaps(BackupCompletedEvent completed, Checkpoint checkpoint) {
        List<DiskBitmap> bitmaps = checkpoint.definition().disks() == null ? List.of() : checkpoint.definition()
                .disks().stream().filter(disk -> disk.checkpoint() == CheckpointDiskMode.BITMAP)
                .map(disk -> new DiskBitmap(disk.name(), disk.bitmap())).toList();
        Optional<HostDirectory.Placement> placement = hosts.find(completed.domain());
        LOG.warnf("backup %s of %s did not succeed (%s): checkpoint %s is taken back", completed.jobId(),
                completed.domain(), completed.status(), checkpoint.name());
        if (bitmaps.isEmpty() || placement.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return agents.send(new RemoveBitmapsRequest("backup job " + completed.jobId() + "/forget",
                        placement.get().hostId(), completed.domain(), bitmaps, true))
                .onFailure().invoke(failure -> LOG.errorf("bitmaps %s of failed backup %s of %s not removed: %s",
                        bitmaps, completed.jobId(), completed.domain(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private static CheckpointDeletedEvent forgotten(BackupCompletedEvent completed, Checkpoint checkpoint) {
        String eventId = UUID.nameUUIDFromBytes(("checkpoint-deleted/" + completed.jobId())
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new CheckpointDeletedEvent(eventId, Instant.now(), completed.domain(), completed.commandId(),
                List.of(checkpoint.name()), false);
    }

    /** The processed-command key of a backup job's checkpoint: a space, which no user's commandId may hold. */
    static String recordKey(String jobId) {
        return "backup job " + jobId;
    }
}
