package io.cairn.backup.service;

import io.cairn.backup.service.job.BackupJob;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupProgressEvent;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.model.BackupDisk;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds a job's public events from the stored job, so an event can never say something the job does not. */
final class BackupEvents {
    private BackupEvents() {
    }

    /** Only the selected disks: the plan the user has to read or wait for. */
    static BackupStartedEvent started(BackupJob job, NbdEndpoint nbd, Instant now) {
        List<BackupDisk> disks = job.definition().disks() == null ? List.of() : job.definition().disks().stream()
                .filter(disk -> !Boolean.FALSE.equals(disk.backup())).toList();
        return new BackupStartedEvent(newId(), now, job.domain(), job.commandId(), job.jobId(), job.mode(),
                job.definition().incremental(), disks, nbd, job.checkpoint());
    }

    static BackupProgressEvent progress(BackupJob job, Instant now) {
        return new BackupProgressEvent(newId(), now, job.domain(), job.commandId(), job.jobId(), job.statistics());
    }

    /** Caused by the user's abort that ended the job, if one did; else by its begin (which it always names too). */
    /** The job's begin, as a command-rejected answering it names it. */
    static BackupBeginCommand beginOf(BackupJob job) {
        return new BackupBeginCommand(job.commandId(), job.domain(), null, job.definition(), null, null, null);
    }

    static BackupCompletedEvent completed(BackupJob job, Instant now) {
        return completed(job, now, job.abortCommandId().orElse(job.commandId()));
    }

    /** The completion as caused by {@code commandId}: the job's begin when the abort was answered otherwise. */
    static BackupCompletedEvent completed(BackupJob job, Instant now, String commandId) {
        return job.completion().orElseThrow(() -> new IllegalStateException("job " + job.jobId() + " has not ended"))
                .toEvent(newId(), now, job.domain(), commandId, job.commandId(), job.jobId());
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
