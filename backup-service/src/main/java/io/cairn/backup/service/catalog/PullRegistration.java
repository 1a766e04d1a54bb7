package io.cairn.backup.service.catalog;

import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.RegisteredArtifact;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.model.PullOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of backup.register, pure: which pull job's outputs may enter the catalog (refused with libvirt's errors
 * before anything is read), what the agent is to check of each, and the artifacts they become once it has digested
 * them: mode PULL, the job's checkpoint, incremental from the disk's base in the job's definition, completed when
 * the job ended (so chains order them as they would the job's push artifacts).
 */
public final class PullRegistration {

    private PullRegistration() {
    }

    /**
     * What the agent is to check for each output (no chain, the output as target); throws the refusal.
     *
     * @param job        the job the command names, if there is one
     * @param catalogued the disks of that job the catalog already holds an artifact for
     */
    public static List<DiskRestorePlan> plan(BackupRegisterCommand command, Optional<BackupJob> job,
            Set<String> catalogued) {
        return plan(command, job, catalogued, Set.of(), Map.of());
    }

    /**
     * The same, also refusing a file the catalog holds already (as another artifact: retention deleting one would
     * delete the other) and a live disk (restoring from a file a VM writes would give back anything).
     *
     * @param artifactPaths the paths of the domain's artifacts in the catalog
     * @param liveDisks     every disk file the job's host reports in use, with who uses it
     */
    public static List<DiskRestorePlan> plan(BackupRegisterCommand command, Optional<BackupJob> job,
            Set<String> catalogued, Set<String> artifactPaths, Map<String, String> liveDisks) {
        BackupJob pull = job.filter(found -> found.domain().equals(command.domain()))
                .orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "no domain backup job "
                        + "'" + command.jobId() + "' of domain '" + command.domain() + "'"));
        if (pull.mode() != BackupMode.PULL) {
            throw invalid("backup job '" + pull.jobId() + "' is a push backup; its files are in the catalog "
                    + "already, only a pull backup's outputs are registered");
        }
        // An aborted pull is stored COMPLETED (libvirt counts it a success): its client read what it needed.
        if (pull.state() != JobState.COMPLETED || pull.endedAt().isEmpty()) {
            throw invalid("backup job '" + pull.jobId() + "' has not ended successfully (it is "
                    + pull.state().name().toLowerCase(java.util.Locale.ROOT) + "); only a completed pull backup's "
                    + "outputs hold its checkpoint");
        }
        List<DiskRestorePlan> plan = new ArrayList<>();
        Set<String> paths = new java.util.HashSet<>();
        for (PullOutput output : command.disks()) {
            BackupDisk disk = backedUp(pull, output.name());
            if (catalogued.contains(output.name())) {
                throw invalid("disk '" + output.name() + "' of backup job '" + pull.jobId()
                        + "' is in the backup catalog already");
            }
            if (disk.backupmode() == DiskBackupMode.INCREMENTAL && !"qcow2".equals(output.format())) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "invalid argument: disk '"
                        + output.name() + "' was backed up incrementally: its output must be qcow2 (only qcow2 "
                        + "leaves the unchanged clusters to its backing), not " + output.format());
            }
            if (artifactPaths.contains(output.path()) || !paths.add(output.path())) {
                throw invalid("'" + output.path() + "' of disk '" + output.name() + "' is another artifact's file "
                        + "already");
            }
            String user = liveDisks.get(output.path());
            if (user != null) {
                throw invalid("'" + output.path() + "' of disk '" + output.name() + "' is " + user
                        + ", not a backup");
            }
            plan.add(new DiskRestorePlan(output.name(), List.of(), output.path(), output.format()));
        }
        return plan;
    }

    /** The catalog entries of the outputs the agent digested. */
    public static List<Artifact> artifacts(BackupJob pull, List<RestoredDisk> digested) {
        String checkpoint = pull.checkpoint() == null ? null : pull.checkpoint().name();
        return digested.stream().map(output -> new Artifact(pull.jobId(), pull.domain(), pull.hostId(),
                output.name(), checkpoint, incrementalFrom(pull, output.name()), BackupMode.PULL, output.path(),
                output.format(), output.size(), output.sha256(), pull.endedAt().orElseThrow())).toList();
    }

    /** How an artifact is told in artifacts-registered. */
    public static RegisteredArtifact registered(Artifact artifact) {
        return new RegisteredArtifact(artifact.disk(), artifact.checkpoint(), artifact.incrementalFrom(),
                artifact.path(), artifact.format(), artifact.size(), artifact.sha256());
    }

    private static String incrementalFrom(BackupJob pull, String disk) {
        BackupDisk backed = backedUp(pull, disk);
        return backed.backupmode() == DiskBackupMode.INCREMENTAL ? backed.incremental() : null;
    }

    private static BackupDisk backedUp(BackupJob pull, String name) {
        List<BackupDisk> disks = pull.definition().disks() == null ? List.of() : pull.definition().disks();
        return disks.stream().filter(disk -> disk.name().equals(name) && !Boolean.FALSE.equals(disk.backup()))
                .findFirst().orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                        "invalid argument: backup job '" + pull.jobId() + "' did not back up disk '" + name + "'"));
    }

    private static CairnException invalid(String why) {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: " + why);
    }
}
