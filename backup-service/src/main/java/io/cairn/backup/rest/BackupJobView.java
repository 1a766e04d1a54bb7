package io.cairn.backup.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.DiskJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.backup.service.job.QueuePosition;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.util.List;

/**
 * A job as REST shows it: state, libvirt's job type, operation and statistics, per-disk progress and, while it
 * waits, its queue position and the limit holding it back, so a queued backup never looks stuck without a reason; a
 * running pull also says where to connect ({@code nbd}, with its key for callers who may act on the domain).
 *
 * @param jobType   what {@code virDomainGetJobStats} would answer as the job's type: {@code UNBOUNDED} (2) while it
 *                  starts or runs, {@code COMPLETED} (3), {@code FAILED} (4) or {@code CANCELLED} (5) once it ended,
 *                  {@code NONE} (0) while it waits in the queue (libvirt's begin would not have been called yet)
 * @param operation libvirt's {@code VIR_DOMAIN_JOB_OPERATION} of the job: always {@code BACKUP} (9)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupJobView(String jobId, String domain, String hostId, String commandId, BackupMode mode,
        String state, String jobType, String operation, QueuePosition queuePosition, BackupStatistics statistics,
        List<DiskJob> disks, String error, Instant requestedAt, Instant startedAt, Instant endedAt, NbdEndpoint nbd) {

    /** libvirt's {@code VIR_DOMAIN_JOB_OPERATION_BACKUP}. */
    static final String OPERATION = "BACKUP";

    static BackupJobView of(BackupJob job, QueuePosition position) {
        return new BackupJobView(job.jobId(), job.domain(), job.hostId(), job.commandId(), job.mode(),
                job.state().name(), jobTypeOf(job.state()), OPERATION, position, job.statistics(),
                List.copyOf(job.disks()), job.firstError().orElse(null), job.requestedAt(),
                job.startedAt().orElse(null), job.endedAt().orElse(null), null);
    }

    /** libvirt's virDomainJobType for the job's state (qemuDomainJobStatusToType). */
    static String jobTypeOf(JobState state) {
        return switch (state) {
            case QUEUED -> "NONE";
            case STARTING, RUNNING -> "UNBOUNDED";
            case COMPLETED -> "COMPLETED";
            case FAILED -> "FAILED";
            case CANCELLED -> "CANCELLED";
        };
    }

    BackupJobView withNbd(NbdEndpoint endpoint) {
        return new BackupJobView(jobId, domain, hostId, commandId, mode, state, jobType, operation, queuePosition,
                statistics, disks, error, requestedAt, startedAt, endedAt, endpoint);
    }
}
