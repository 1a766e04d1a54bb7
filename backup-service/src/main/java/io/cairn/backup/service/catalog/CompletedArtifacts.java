package io.cairn.backup.service.catalog;

import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.DiskJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.agent.WrittenTarget;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.DiskBackupMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which artifacts a job's end leaves for the catalog: one per disk a completed push backup wrote. A pull backup's
 * data is written by its client, wherever the client chose, so its end records no artifact (a chain needing its
 * checkpoint says so, until backup.register records the client's outputs: {@link PullRegistration}); a job that did
 * not complete leaves nothing (the agent deleted its targets).
 */
public final class CompletedArtifacts {

    private static final String DEFAULT_FORMAT = "qcow2";

    private CompletedArtifacts() {
    }

    public static List<Artifact> of(BackupJob job) {
        if (job.state() != JobState.COMPLETED || job.mode() != BackupMode.PUSH || job.endedAt().isEmpty()
                || job.definition().disks() == null) {
            return List.of();
        }
        String checkpoint = job.checkpoint() == null ? null : job.checkpoint().name();
        List<Artifact> artifacts = new ArrayList<>();
        for (BackupDisk disk : job.definition().disks()) {
            Optional<DiskJob> done = job.disk(disk.name()).filter(d -> d.state() == DiskJobState.COMPLETE);
            if (Boolean.FALSE.equals(disk.backup()) || done.isEmpty() || disk.store() == null) {
                continue;
            }
            WrittenTarget written = done.get().written();
            String incrementalFrom = disk.backupmode() == DiskBackupMode.INCREMENTAL ? disk.incremental() : null;
            String format = disk.store().format() == null ? DEFAULT_FORMAT : disk.store().format();
            artifacts.add(new Artifact(job.jobId(), job.domain(), job.hostId(), disk.name(), checkpoint,
                    incrementalFrom, job.mode(), disk.store().path(), format,
                    written == null ? null : written.size(), written == null ? null : written.sha256(),
                    job.endedAt().get()));
        }
        return artifacts;
    }
}
