package io.cairn.backup.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.DiskJob;
import io.cairn.backup.service.job.QueuePosition;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.util.List;

/**
 * A job as REST shows it: state, libvirt's statistics, per-disk progress and, while it waits, its queue position and
 * the limit holding it back, so a queued backup never looks stuck without a reason; a running pull also says where
 * to connect ({@code nbd}, with its key for callers who may act on the domain).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupJobView(String jobId, String domain, String hostId, String commandId, BackupMode mode,
        String state, QueuePosition queuePosition, BackupStatistics statistics, List<DiskJob> disks, String error,
        Instant requestedAt, Instant startedAt, Instant endedAt, NbdEndpoint nbd) {

    static BackupJobView of(BackupJob job, QueuePosition position) {
        return new BackupJobView(job.jobId(), job.domain(), job.hostId(), job.commandId(), job.mode(),
                job.state().name(), position, job.statistics(), List.copyOf(job.disks()),
                job.firstError().orElse(null), job.requestedAt(), job.startedAt().orElse(null),
                job.endedAt().orElse(null), null);
    }

    BackupJobView withNbd(NbdEndpoint endpoint) {
        return new BackupJobView(jobId, domain, hostId, commandId, mode, state, queuePosition, statistics, disks, error,
                requestedAt, startedAt, endedAt, endpoint);
    }
}
