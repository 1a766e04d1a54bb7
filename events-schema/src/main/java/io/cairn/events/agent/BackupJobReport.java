package io.cairn.events.agent;

import io.cairn.events.event.BackupStatistics;
import io.cairn.events.event.NbdEndpoint;
import java.time.Instant;
import java.util.List;

/**
 * A backup job's state as the agent sees it in QEMU: sent when it starts, periodically while it runs, and when it
 * ends (then with the final statistics and QEMU's error, if any). {@code sequence} grows per job so the service can
 * drop stale or duplicate reports.
 */
public record BackupJobReport(String jobId, String hostId, String domain, String requestId, long sequence,
        BackupJobState state, List<DiskJobReport> disks, BackupStatistics statistics, NbdEndpoint nbd, String error,
        Instant time) implements AgentReport {
    public static final String TYPE = "backup-job";

    public BackupJobReport {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
