package io.cairn.backup.service;

import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Publishes what a job's end owes, inside the transaction that ended the job. A job that started (its begin was
 * answered with backup-started) ends with one backup-completed: the outcome of the user's abort that ended it, or a
 * plain event. A job that never started (cancelled while queued, or lost while starting) has not answered its begin
 * yet: the begin is answered with command-rejected, as libvirt's virDomainBackupBegin fails, and only an abort that
 * ended it still gets its backup-completed. A completed push also leaves its artifacts in the catalog, in the same
 * transaction.
 */
@ApplicationScoped
public class JobCompletions {

    @Inject
    CommandOutcomes outcomes;

    @Inject
    ArtifactCatalog catalog;

    @Inject
    RetentionCommands retention;

    public Uni<Void> publish(BackupJob job, Instant now) {
        // The catalog's entries commit with the completion they come from, or not at all.
        return catalog.record(job).chain(() -> retention.requestAfter(job, now))
                .chain(() -> outcomes.isAnswered(job.commandId()))
                .flatMap(started -> started ? completed(job, now) : neverStarted(job, now));
    }

    private Uni<Void> completed(BackupJob job, Instant now) {
        BackupCompletedEvent completed = BackupEvents.completed(job, now);
        if (job.abortCommandId().isEmpty()) {
            return outcomes.publish(completed);
        }
        String abort = job.abortCommandId().get();
        // An abort already answered otherwise (the agent refused it) keeps that one answer: the job still ends
        // publicly, but as its begin's event, so no second event carries the abort's commandId (the soak found one).
        return outcomes.isAnswered(abort).flatMap(answered -> answered
                ? outcomes.publish(BackupEvents.completed(job, now, job.commandId()))
                : outcomes.record(abort, job.domain(), BackupAbortCommand.TYPE, completed).replaceWithVoid());
    }

    private Uni<Void> neverStarted(BackupJob job, Instant now) {
        Uni<Void> begin = outcomes.record(job.commandId(), job.domain(), BackupBeginCommand.TYPE,
                CommandRejectedEvent.of(BackupEvents.beginOf(job), neverStartedError(job))).replaceWithVoid();
        if (job.abortCommandId().isEmpty()) {
            return begin;
        }
        String abort = job.abortCommandId().get();
        return begin.chain(() -> outcomes.isAnswered(abort)).flatMap(answered -> answered
                ? Uni.createFrom().voidItem()
                : outcomes.record(abort, job.domain(), BackupAbortCommand.TYPE, BackupEvents.completed(job, now))
                        .replaceWithVoid());
    }

    private static CairnException neverStartedError(BackupJob job) {
        if (job.state() == JobState.CANCELLED) {
            return new CairnException(VirErrorCode.VIR_ERR_OPERATION_ABORTED, "operation aborted: backup job "
                    + job.jobId() + " was cancelled before it started");
        }
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: backup job "
                + job.jobId() + " never started: " + job.firstError().orElse("its host agent did not start it"));
    }
}
