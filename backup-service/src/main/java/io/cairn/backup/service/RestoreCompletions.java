package io.cairn.backup.service;

import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.command.RestoreEndCommand;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.event.RestoreCompletedEvent;
import io.cairn.events.model.RestoreMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * Records a restore's restore-completed (a verify's verify-completed) as its command's one outcome, inside the
 * transaction that ended it; an export's end answers the restore.end that ended it.
 */
@ApplicationScoped
public class RestoreCompletions {

    @Inject
    CommandOutcomes outcomes;

    @Inject
    ArtifactCatalog catalog;

    @Inject
    RegisterCommands registers;

    /** A verify also records each artifact's verdict in the catalog, in the same transaction. */
    public Uni<Void> record(RestoreJob job, Instant now) {
        if (job.mode() == RestoreMode.VERIFY) {
            return catalog.recordVerdicts(job.domain(), job.verdicts(), now).flatMap(named -> outcomes.record(
                    job.commandId(), job.domain(), VerifyBeginCommand.TYPE,
                    job.verifyCompletion(UUID.randomUUID().toString(), now, named))).replaceWithVoid();
        }
        if (job.mode() == RestoreMode.EXPORT) {
            return exportEnded(job, now);
        }
        if (job.mode() == RestoreMode.REGISTER) {
            return registers.completed(job, now);
        }
        if (job.endCommandId().isPresent()) {
            return abortEnded(job, job.endCommandId().get(), now);
        }
        return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE,
                job.completion(UUID.randomUUID().toString(), now)).replaceWithVoid();
    }

    /**
     * A copy or thin restore a restore.end asked to abort. Aborted (or failed otherwise meanwhile): the end gets the
     * restore-completed and the begin is refused with the restore's error, as a backup cancelled in the queue is. It
     * completed before the abort reached it: the begin gets its restore-completed and the end is refused, there being
     * nothing left to abort. An end answered otherwise already (its agent refused it) changes nothing.
     */
    private Uni<Void> abortEnded(RestoreJob job, String end, Instant now) {
        return outcomes.isAnswered(end).flatMap(answered -> {
            if (answered) {
                return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE,
                        job.completionOfBegin(UUID.randomUUID().toString(), now)).replaceWithVoid();
            }
            if (job.abortedBy(end)) {
                CommandRejectedEvent begin = new CommandRejectedEvent(UUID.randomUUID().toString(), now, job.domain(),
                        job.commandId(), RestoreBeginCommand.TYPE, job.error().orElseThrow());
                return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE, begin)
                        .chain(() -> outcomes.record(end, job.domain(), RestoreEndCommand.TYPE,
                                job.completion(UUID.randomUUID().toString(), now)))
                        .replaceWithVoid();
            }
            CommandRejectedEvent tooLate = new CommandRejectedEvent(UUID.randomUUID().toString(), now, job.domain(),
                    end, RestoreEndCommand.TYPE, ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested "
                            + "operation is not valid: restore " + job.restoreId() + " of '" + job.domain()
                            + "' completed before its end reached it; there was nothing left to abort"));
            return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE,
                            job.completion(UUID.randomUUID().toString(), now))
                    .chain(() -> outcomes.record(end, job.domain(), RestoreEndCommand.TYPE, tooLate))
                    .replaceWithVoid();
        });
    }

    /**
     * An export that served has had its begin answered (restore-exported): its end answers the restore.end that
     * asked for it, unless that end was answered otherwise already (then, as for a ttl's end, the event is published
     * on its own). One that never served answers its begin, as any restore does.
     */
    private Uni<Void> exportEnded(RestoreJob job, Instant now) {
        RestoreCompletedEvent completed = job.completion(UUID.randomUUID().toString(), now);
        return outcomes.isAnswered(job.commandId()).flatMap(served -> {
            if (!served) {
                RestoreCompletedEvent asBegin = new RestoreCompletedEvent(completed.eventId(), now, job.domain(),
                        job.commandId(), job.restoreId(), job.checkpoint(), job.hostId(), job.mode(),
                        completed.success(), completed.error(), completed.disks());
                return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE, asBegin)
                        .replaceWithVoid();
            }
            if (job.endCommandId().isEmpty()) {
                return outcomes.publish(completed);
            }
            String end = job.endCommandId().get();
            return outcomes.isAnswered(end).flatMap(answered -> answered
                    ? outcomes.publish(new RestoreCompletedEvent(completed.eventId(), now, job.domain(),
                            job.commandId(), job.restoreId(), job.checkpoint(), job.hostId(), job.mode(),
                            completed.success(), completed.error(), completed.disks()))
                    : outcomes.record(end, job.domain(), RestoreEndCommand.TYPE, completed).replaceWithVoid());
        });
    }
}
