package io.cairn.backup.service;

import io.cairn.core.failure.VirErrors;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.agent.AgentGateway;
import io.cairn.core.agent.HostDirectory;
import io.cairn.backup.service.job.AbortOutcome;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.core.command.CommandWork;
import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.command.BackupBeginFlag;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.command.Command;
import io.cairn.events.command.DefinitionRules;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.command.RestoreEndCommand;
import io.cairn.events.command.RetentionApplyCommand;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.command.EventBudget;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.model.DomainDisks;
import io.cairn.core.outbox.OutboxRelay;
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
 * What backup.begin and backup.abort do, libvirt's way (restore.begin, on the same topic, is {@link RestoreCommands}'s,
 * restore.end {@link RestoreEnds}'). Begin settles the whole plan before anything happens on a
 * host (disks aligned, store names generated, export defaults filled), stores the job (one per domain) and admits
 * it; the agent then does the QMP work. Default store names follow libvirt ({@code <source>.<suffix>}, beside the
 * disk): the agent refuses a store outside the domain's directory of its storage roots ({@code <root>/<domain>/},
 * VIR_ERR_OPERATION_DENIED), so a domain whose disks live elsewhere needs explicit targets.
 */
@ApplicationScoped
public class BackupCommands implements CommandWork {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(BackupCommands.class);

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
    JobCompletions completions;

    @Inject
    OutboxRelay relay;

    @Inject
    RestoreCommands restores;

    @Inject
    VerifyCommands verifies;

    @Inject
    RestoreEnds restoreEnds;

    @Inject
    RegisterCommands registers;

    @Inject
    RetentionCommands retention;

    @Inject
    RetentionPolicies policies;

    @Inject
    ArtifactCatalog catalog;

    @Inject
    io.cairn.backup.service.retention.RetentionRunStore retentionRuns;

    @Inject
    io.cairn.backup.service.lineage.LineageView lineageView;

    @Inject
    Clock clock;

    /**
     * A begin whose job exists is accepted, its outcome to come from the job (a duplicate need not wait for a
     * queued job's start); anything else waits for the delivery that holds it.
     */
    @Override
    public Uni<CairnEvent> whileHeldElsewhere(Command command) {
        if (command instanceof RetentionApplyCommand) {
            return retention.accepted(command.commandId()).flatMap(accepted -> accepted
                    ? Uni.createFrom().nullItem() : CommandWork.super.whileHeldElsewhere(command));
        }
        if (command instanceof RestoreBeginCommand || command instanceof VerifyBeginCommand
                || command instanceof BackupRegisterCommand) {
            return restores.accepted(command.commandId()).flatMap(accepted -> accepted
                    ? Uni.createFrom().nullItem() : CommandWork.super.whileHeldElsewhere(command));
        }
        if (!(command instanceof BackupBeginCommand)) {
            return CommandWork.super.whileHeldElsewhere(command);
        }
        return store.findByCommand(command.commandId()).flatMap(job -> job.isPresent()
                ? Uni.createFrom().nullItem() : CommandWork.super.whileHeldElsewhere(command));
    }

    /** The command's outcome if it is known now; null when the job's events will tell. */
    @Override
    public Uni<CairnEvent> apply(Command command) {
        if (command instanceof BackupBeginCommand begin) {
            return begin(begin);
        }
        if (command instanceof BackupAbortCommand abort) {
            abort.validate();
            return abort(abort);
        }
        if (command instanceof RestoreBeginCommand restore) {
            return restores.begin(restore);
        }
        if (command instanceof VerifyBeginCommand verify) {
            return verifies.begin(verify);
        }
        if (command instanceof RestoreEndCommand end) {
            return restoreEnds.end(end);
        }
        if (command instanceof RetentionApplyCommand apply) {
            return retention.apply(apply);
        }
        if (command instanceof BackupRegisterCommand register) {
            return registers.register(register);
        }
        return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "command type " + command.type() + " is not a backup command"));
    }

    private Uni<CairnEvent> begin(BackupBeginCommand command) {
        command.validate();
        HostDirectory.Placement placement = hosts.require(command.domain());
        DomainDisks disks = HostDirectory.disksOf(placement.domain());
        Instant now = clock.instant();
        CheckpointDefinition checkpoint = checkpointOf(command, disks, now, placement.domain());
        BackupDefinition requested = command.backupXml() != null ? parsedBackupXml(command) : command.backup();
        // libvirt's suffix for generated store names: the new checkpoint's name, else the current Unix time.
        String suffix = checkpoint != null ? checkpoint.name() : Long.toString(now.getEpochSecond());
        BackupDefinition aligned = QemuBackupDefaults.applyPullExportDefaults(
                backupXml.align(requested, disks, suffix));
        return requireKnownCheckpoints(command.domain(), aligned, placement.domain())
                .flatMap(known -> newCheckpointNameFree(command, checkpoint))
                .flatMap(free -> fullWhereThePolicySaysSo(command.domain(), placement.hostId(), aligned))
                .flatMap(decided -> {
                    EventBudget.requireBackupStarted(command, decided, checkpoint);
                    JobRequest request = new JobRequest(UUID.randomUUID().toString(), command.domain(),
                            placement.hostId(), command.commandId(), decided, checkpoint,
                            command.flags().contains(BackupBeginFlag.REUSE_EXTERNAL));
                    return store.create(BackupJob.queue(request, now));
                })
                .flatMap(stored -> stored.created()
                        ? admission.admitWaiting().flatMap(admitted -> starter.startOwnDeferOthers(
                                stored.job().jobId(), admitted))
                        : Uni.createFrom().voidItem())
                .replaceWith((CairnEvent) null);
    }

    /**
     * libvirt checks a new checkpoint's name against the domain's checkpoints before anything happens: a name the
     * lineage holds (healthy or broken, its bitmaps present or lost) is refused here, before any job or bitmap exists.
     * A redelivered begin whose job exists already passed this check (its own checkpoint may be in the lineage now).
     */
    private Uni<Void> newCheckpointNameFree(BackupBeginCommand command, CheckpointDefinition checkpoint) {
        if (checkpoint == null) {
            return Uni.createFrom().voidItem();
        }
        return store.findByCommand(command.commandId()).flatMap(job -> job.isPresent()
                ? Uni.createFrom().voidItem() : lineageView.requireNew(command.domain(), checkpoint.name()));
    }

    /**
     * libvirt's abort of the domain's job. Its one outcome is the job's backup-completed, which names this command
     * (recorded when the job ends); a second abort of a job already being aborted is refused, since the first one
     * is the one the completion answers.
     */
    private Uni<CairnEvent> abort(BackupAbortCommand command) {
        Instant now = clock.instant();
        return store.updateActive(command.domain(), job -> job.abort(now, command.commandId()), change -> change
                        .result() == AbortOutcome.CANCELLED_BEFORE_START
                        ? completions.publish(change.job(), now)
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
                                .invoke(BackupCommands::acceptedOrEnding)
                                // The job's backup-completed (cancelled) answers the abort when the agent reports.
                                .replaceWith((CairnEvent) null);
                    }
                    // The service's own abort (pull time-to-live) is on its way: its completion answers this one.
                    case ALREADY_REQUESTED_ANSWERS_THIS -> Uni.createFrom().item((CairnEvent) null);
                    case ALREADY_REQUESTED, ALREADY_ENDED -> Uni.createFrom().failure(new CairnException(
                            VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: an abort of "
                            + "backup job " + change.job().jobId() + " of '" + command.domain() + "' was already "
                            + "requested; its backup-completed answers that abort"));
                });
    }

    /**
     * The agent's answer to an abort: accepted, or "no such job" because the job ended on the host just before the
     * abort arrived (its last report is on its way; a lost job is ended by the sweeper). Either way the job's
     * backup-completed answers the abort; any other refusal is the abort's answer.
     */
    private static void acceptedOrEnding(AgentResult result) {
        if (!result.success() && (result.error() == null
                || !VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP.name().equals(result.error().code()))) {
            throw VirErrors.refusal(result);
        }
    }

    /**
     * A domain with a retention policy bounds its chains: an incremental push disk whose chain is due for a full
     * (FullBackupDue: too many incrementals, too many bytes, or a base the catalog cannot restore) is backed up full
     * instead, which backup-started shows as the disk's backupmode. Pull backups are the client's to chain.
     */
    private Uni<BackupDefinition> fullWhereThePolicySaysSo(String domain, String hostId, BackupDefinition aligned) {
        boolean push = aligned.mode() == null || aligned.mode() == io.cairn.events.model.BackupMode.PUSH;
        boolean anyIncremental = aligned.disks() != null && aligned.disks().stream()
                .anyMatch(disk -> disk.backupmode() == DiskBackupMode.INCREMENTAL);
        if (!push || !anyIncremental) {
            return Uni.createFrom().item(aligned);
        }
        return policies.find(domain).flatMap(policy -> policy.isEmpty() ? Uni.createFrom().item(aligned)
                : catalog.artifacts(domain).flatMap(artifacts -> retentionRuns.deletingNow(domain).map(deleting -> {
                    // A running retention run's deletions are gone as far as a new chain is concerned.
                    java.util.List<io.cairn.backup.service.catalog.Artifact> kept = artifacts.stream()
                            .filter(artifact -> !deleting.contains(artifact.id())).toList();
                    java.util.List<BackupDisk> disks = new java.util.ArrayList<>();
                    for (BackupDisk disk : aligned.disks()) {
                        disks.add(fullIfDue(domain, hostId, disk, aligned, policy.get(), kept));
                    }
                    return new BackupDefinition(aligned.mode(), aligned.incremental(), aligned.server(), disks);
                })));
    }

    private static BackupDisk fullIfDue(String domain, String hostId, BackupDisk disk, BackupDefinition definition,
            io.cairn.backup.service.retention.RetentionPolicy policy,
            java.util.List<io.cairn.backup.service.catalog.Artifact> artifacts) {
        if (Boolean.FALSE.equals(disk.backup()) || disk.backupmode() != DiskBackupMode.INCREMENTAL) {
            return disk;
        }
        String from = disk.incremental() != null ? disk.incremental() : definition.incremental();
        var due = io.cairn.backup.service.retention.FullBackupDue.of(policy, artifacts, disk.name(), from, hostId);
        if (!due.due()) {
            return disk;
        }
        LOG.infof("backup of '%s': disk '%s' is backed up full instead of incremental from '%s' (retention policy: "
                + "%s, %s)", domain, disk.name(), from, due.reason(), due.detail());
        return new BackupDisk(disk.name(), disk.backup(), DiskBackupMode.FULL, null, disk.exportname(),
                disk.exportbitmap(), disk.store(), disk.state());
    }

    /** The XML form, held to the rules validate() holds the JSON form to (reserved export bitmaps). */
    private BackupDefinition parsedBackupXml(BackupBeginCommand command) {
        BackupDefinition parsed = backupXml.parse(command.backupXml());
        DefinitionRules.checkBackup(parsed);
        return parsed;
    }

    /**
     * The checkpoint created with the backup, aligned to the domain's disks, with the domain's definition captured
     * as libvirt captures it (written from the agent's report: Cairn has no libvirt to ask); null for none.
     */
    private CheckpointDefinition checkpointOf(BackupBeginCommand command, DomainDisks disks, Instant now,
            DomainInventory domain) {
        CheckpointDefinition parsed;
        if (command.checkpointXml() != null) {
            parsed = checkpointXml.parse(command.checkpointXml());
            DefinitionRules.checkCheckpoint("checkpointXml", parsed);
        } else if (command.checkpoint() != null) {
            CheckpointDefinition given = command.checkpoint();
            String name = given.name() != null ? given.name() : Long.toString(now.getEpochSecond());
            parsed = new CheckpointDefinition(name, given.description(), null, now.getEpochSecond(), given.disks(),
                    null);
        } else {
            return null;
        }
        CheckpointDefinition aligned = checkpointXml.align(parsed, disks);
        return new CheckpointDefinition(aligned.name(), aligned.description(), aligned.parent(),
                aligned.creationTime(), aligned.disks(), io.cairn.events.xml.SynthesizedDomainXml.of(command.domain(),
                        domain.uuid(), disks));
    }

    /**
     * libvirt refuses an incremental backup from a checkpoint the domain does not have. Cairn looks for its bitmap in
     * the host's last inventory first: a checkpoint whose bitmap is on no disk is unknown, unless the lineage (its
     * view here) holds it, which is libvirt's case of a checkpoint whose bitmaps are lost
     * (VIR_ERR_CHECKPOINT_INCONSISTENT). One present on some disks but missing or broken on others is for the agent to
     * find (the same error). An orphan bitmap the lineage does not hold still passes: the view may not know a
     * lineage older than its history (README, differences from libvirt).
     */
    private Uni<Void> requireKnownCheckpoints(String domainName, BackupDefinition aligned, DomainInventory domain) {
        Uni<Void> checks = Uni.createFrom().voidItem();
        for (BackupDisk disk : aligned.disks()) {
            if (Boolean.FALSE.equals(disk.backup()) || disk.backupmode() != DiskBackupMode.INCREMENTAL) {
                continue;
            }
            boolean onHost = domain.disks().stream().flatMap(d -> d.bitmaps().stream())
                    .anyMatch(bitmap -> bitmap.name().equals(disk.incremental()));
            if (onHost) {
                continue;
            }
            checks = checks.flatMap(ok -> lineageView.holds(domainName, disk.incremental())).flatMap(inLineage ->
                    Uni.createFrom().failure(inLineage
                            ? new CairnException(VirErrorCode.VIR_ERR_CHECKPOINT_INCONSISTENT, "checkpoint "
                                    + "inconsistent: missing or broken bitmap '" + disk.incremental() + "' for disk '"
                                    + disk.name() + "'")
                            : new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT, "Checkpoint '"
                                    + disk.incremental() + "' for incremental backup of disk '" + disk.name()
                                    + "' not found")));
        }
        return checks;
    }
}
