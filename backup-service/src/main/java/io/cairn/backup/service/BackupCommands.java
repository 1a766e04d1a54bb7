package io.cairn.backup.service;

import io.cairn.backup.agent.AgentGateway;
import io.cairn.backup.agent.HostDirectory;
import io.cairn.backup.service.job.AbortOutcome;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.command.BackupBeginFlag;
import io.cairn.events.command.Command;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.model.DomainDisks;
import io.cairn.events.outbox.OutboxRelay;
import io.cairn.events.xml.BackupXml;
import io.cairn.events.xml.CheckpointXml;
import io.cairn.events.xml.QemuBackupDefaults;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * What backup.begin and backup.abort do, libvirt's way. Begin settles the whole plan before anything happens on a
 * host (disks aligned, store names generated, export defaults filled), stores the job (one per domain) and admits
 * it; the agent then does the QMP work. Default store names follow libvirt ({@code <source>.<suffix>}, beside the
 * disk): the agent refuses a store outside its storage roots (VIR_ERR_OPERATION_DENIED), so a domain whose disks live
 * outside them needs explicit targets.
 */
@ApplicationScoped
public class BackupCommands {

    private final BackupXml backupXml = new BackupXml();
    private final CheckpointXml checkpointXml = new CheckpointXml();

    @Inject
    HostDirectory hosts;

    @Inject
    BackupJobStore store;

    @Inject
    Admission admission;

    @Inject
    JobStarter starter;

    @Inject
    AgentGateway agents;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    OutboxRelay relay;

    @Inject
    Clock clock;

    /** The command's outcome if it is known now; null when the job's events will tell. */
    public Uni<CairnEvent> apply(Command command) {
        if (command instanceof BackupBeginCommand begin) {
            return begin(begin);
        }
        if (command instanceof BackupAbortCommand abort) {
            abort.validate();
            return abort(abort);
        }
        return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "command type " + command.type() + " is not a backup command"));
    }

    private Uni<CairnEvent> begin(BackupBeginCommand command) {
        command.validate();
        HostDirectory.Placement placement = hosts.require(command.domain());
        DomainDisks disks = HostDirectory.disksOf(placement.domain());
        Instant now = clock.instant();
        CheckpointDefinition checkpoint = checkpointOf(command, disks, now);
        BackupDefinition requested = command.backupXml() != null ? backupXml.parse(command.backupXml())
                : command.backup();
        // libvirt's suffix for generated store names: the new checkpoint's name, else the current Unix time.
        String suffix = checkpoint != null ? checkpoint.name() : Long.toString(now.getEpochSecond());
        BackupDefinition aligned = QemuBackupDefaults.applyPullExportDefaults(
                backupXml.align(requested, disks, suffix));
        requireKnownCheckpoints(aligned, placement.domain());
        JobRequest request = new JobRequest(UUID.randomUUID().toString(), command.domain(), placement.hostId(),
                command.commandId(), aligned, checkpoint, command.flags().contains(BackupBeginFlag.REUSE_EXTERNAL));
        return store.create(BackupJob.queue(request, now))
                .flatMap(stored -> stored.created()
                        ? admission.admitWaiting().flatMap(admitted -> starter.startOwnDeferOthers(
                                stored.job().jobId(), admitted))
                        : Uni.createFrom().voidItem())
                .replaceWith((CairnEvent) null);
    }

    private Uni<CairnEvent> abort(BackupAbortCommand command) {
        Instant now = clock.instant();
        return store.updateActive(command.domain(), job -> job.abort(now), change -> change.result()
                        == AbortOutcome.CANCELLED_BEFORE_START
                        ? outcomes.record(command.commandId(), command.domain(), command.type(),
                                BackupEvents.completed(change.job(), now)).replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .flatMap(change -> switch (change.result()) {
                    case CANCELLED_BEFORE_START -> Uni.createFrom().voidItem()
                            .invoke(relay::kick)
                            // its backup-completed (cancelled), recorded with the change, answers the abort
                            .flatMap(ignored -> outcomes.find(command.commandId()));
                    case SEND_ABORT_TO_AGENT -> {
                        BackupJob job = change.job();
                        yield agents.call(new AbortBackupRequest(command.commandId() + "/abort", job.hostId(),
                                        job.domain(), job.jobId()))
                                .invoke(result -> {
                                    if (!result.success()) {
                                        throw AgentGateway.refusal(result);
                                    }
                                })
                                // The job's backup-completed (cancelled) answers the abort when the agent reports.
                                .replaceWith((CairnEvent) null);
                    }
                    case ALREADY_REQUESTED, ALREADY_ENDED -> Uni.createFrom().item((CairnEvent) null);
                });
    }

    /** The checkpoint created with the backup, aligned to the domain's disks; null for none. */
    private CheckpointDefinition checkpointOf(BackupBeginCommand command, DomainDisks disks, Instant now) {
        CheckpointDefinition parsed;
        if (command.checkpointXml() != null) {
            parsed = checkpointXml.parse(command.checkpointXml());
        } else if (command.checkpoint() != null) {
            CheckpointDefinition given = command.checkpoint();
            String name = given.name() != null ? given.name() : Long.toString(now.getEpochSecond());
            parsed = new CheckpointDefinition(name, given.description(), null, now.getEpochSecond(), given.disks(),
                    null);
        } else {
            return null;
        }
        return checkpointXml.align(parsed, disks);
    }

    /**
     * libvirt refuses an incremental backup from a checkpoint the domain does not have. Cairn's view of the domain's
     * checkpoints is its host's last inventory: a checkpoint whose bitmap is on no disk is unknown. One present on
     * some disks but missing or broken on others is for the agent to find (VIR_ERR_CHECKPOINT_INCONSISTENT).
     */
    private static void requireKnownCheckpoints(BackupDefinition aligned, DomainInventory domain) {
        for (BackupDisk disk : aligned.disks()) {
            if (Boolean.FALSE.equals(disk.backup()) || disk.backupmode() != DiskBackupMode.INCREMENTAL) {
                continue;
            }
            boolean known = domain.disks().stream().flatMap(d -> d.bitmaps().stream())
                    .anyMatch(bitmap -> bitmap.name().equals(disk.incremental()));
            if (!known) {
                throw new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT, "Checkpoint '"
                        + disk.incremental() + "' for incremental backup of disk '" + disk.name() + "' not found");
            }
        }
    }
}
