package io.cairn.backup.service.catalog;

import io.cairn.backup.service.job.JobState;
import io.cairn.events.model.BackupMode;
import java.time.Instant;

/**
 * An ended backup job that created a checkpoint, whether or not it left artifacts: when a chain needs that
 * checkpoint and finds no artifact, the job says why (it failed, was cancelled, or was a pull the client wrote).
 */
public record CheckpointAttempt(String checkpoint, String jobId, BackupMode mode, JobState state, String error,
        Instant endedAt) {
}
