package io.cairn.backup.service.job;

import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.model.BackupMode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * libvirt's rule for what a backup job does when one of its disks ends ({@code qemuBackupNotifyBlockjobEnd}), kept
 * apart from the job so the rule itself can be read and tested on its own.
 */
public final class DiskAggregation {
    private DiskAggregation() {
    }

    /**
     * What the job must do now that a disk ended.
     *
     * @param cancel     disks still running that must be cancelled because another disk failed or was cancelled
     * @param finalState the job's end state once no disk runs or cancels any more; empty while some still do
     */
    public record Decision(List<String> cancel, Optional<JobState> finalState) {
        public Decision {
            cancel = List.copyOf(cancel);
        }
    }

    public static Decision afterDiskEnded(BackupMode mode, Collection<DiskJob> disks) {
        boolean anyFailed = disks.stream().anyMatch(disk -> disk.state() == DiskJobState.FAILED);
        boolean anyCancelled = disks.stream().anyMatch(disk -> disk.state() == DiskJobState.CANCELLED);
        boolean anyActive = disks.stream().anyMatch(DiskJob::isActive);
        if (anyActive) {
            List<String> cancel = anyFailed || anyCancelled
                    ? disks.stream().filter(disk -> disk.state() == DiskJobState.RUNNING).map(DiskJob::disk).toList()
                    : List.of();
            return new Decision(cancel, Optional.empty());
        }
        // The contract's one statement of libvirt's rule, the same the agent applies to its report.
        BackupJobState verdict = BackupJobState.ofEndedDisks(mode, anyFailed, anyCancelled);
        return new Decision(List.of(), Optional.of(JobState.valueOf(verdict.name())));
    }
}
