package io.cairn.backup.service;

import io.cairn.backup.service.job.BackupJob;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.event.BackupCompletedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Publishes a job's one backup-completed, inside the transaction that ended the job: as the outcome of the user's
 * abort that ended it (so the abort is answered exactly once, by this event), or as a plain event otherwise.
 */
@ApplicationScoped
public class JobCompletions {

    @Inject
    CommandOutcomes outcomes;

    public Uni<Void> publish(BackupJob job, Instant now) {
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
}
