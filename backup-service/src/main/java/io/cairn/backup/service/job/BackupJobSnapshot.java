package io.cairn.backup.service.job;

import io.cairn.events.event.BackupStatistics;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.CheckpointDefinition;
import java.time.Instant;
import java.util.List;

/**
 * Every field of a {@link BackupJob} as plain values: what persistence writes and reads back, so the storage layer
 * needs no access to the job's rules.
 *
 * @param definition     the aligned backup definition sent to the agent
 * @param checkpoint     the checkpoint created together with the backup; null for none
 * @param lastSequence   the sequence of the last applied agent report; null before the first
 * @param firstError     the first error any disk or the agent reported (libvirt keeps only the first)
 * @param abortRequested when an abort was sent to the agent (by the user or the pull time-to-live)
 * @param lastProgressAt when the last backup-progress event was published, for throttling
 * @param abortCommandId the backup.abort command whose abort ends the job (its backup-completed answers it); null
 *                       when no user asked for an abort
 */
public record BackupJobSnapshot(
        String jobId,
        String domain,
        String hostId,
        String commandId,
        BackupMode mode,
        BackupDefinition definition,
        CheckpointDefinition checkpoint,
        boolean reuseExternal,
        JobState state,
        List<DiskJob> disks,
        String firstError,
        BackupStatistics statistics,
        Instant requestedAt,
        Instant startedAt,
        Instant endedAt,
        Instant lastReportAt,
        Long lastSequence,
        Instant abortRequested,
        Instant lastProgressAt,
        String abortCommandId) {

    public BackupJobSnapshot {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /** A job no user asked to abort. */
    public BackupJobSnapshot(String jobId, String domain, String hostId, String commandId, BackupMode mode,
            BackupDefinition definition, CheckpointDefinition checkpoint, boolean reuseExternal, JobState state,
            List<DiskJob> disks, String firstError, BackupStatistics statistics, Instant requestedAt,
            Instant startedAt, Instant endedAt, Instant lastReportAt, Long lastSequence, Instant abortRequested,
            Instant lastProgressAt) {
        this(jobId, domain, hostId, commandId, mode, definition, checkpoint, reuseExternal, state, disks, firstError,
                statistics, requestedAt, startedAt, endedAt, lastReportAt, lastSequence, abortRequested,
                lastProgressAt, null);
    }
}
