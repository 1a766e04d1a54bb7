package io.cairn.backup.service.job;

import io.cairn.events.event.BackupStatistics;
import io.cairn.events.model.BackupMode;
import java.util.Optional;

/**
 * What a user is told about a job when they ask: its state, and while it waits, where it stands in the queue and
 * which limit holds it back, so a queued backup never looks stuck without a reason.
 *
 * @param queuePosition present only while the job is QUEUED
 * @param error         the first error, once there is one
 */
public record JobStatus(String jobId, String domain, BackupMode mode, JobState state,
        Optional<QueuePosition> queuePosition, BackupStatistics statistics, Optional<String> error) {

    public static JobStatus of(BackupJob job, AdmissionQueue queue) {
        Optional<QueuePosition> position = job.state() == JobState.QUEUED
                ? queue.positionOf(job.jobId())
                : Optional.empty();
        return new JobStatus(job.jobId(), job.domain(), job.mode(), job.state(), position, job.statistics(),
                job.firstError());
    }
}
