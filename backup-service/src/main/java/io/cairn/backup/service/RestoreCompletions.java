package io.cairn.backup.service;

import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.model.RestoreMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * Records a restore's restore-completed (a verify's verify-completed) as its command's one outcome, inside the
 * transaction that ended it.
 */
@ApplicationScoped
public class RestoreCompletions {

    @Inject
    CommandOutcomes outcomes;

    @Inject
    ArtifactCatalog catalog;

    /** A verify also records each artifact's verdict in the catalog, in the same transaction. */
    public Uni<Void> record(RestoreJob job, Instant now) {
        if (job.mode() == RestoreMode.VERIFY) {
            return catalog.recordVerdicts(job.domain(), job.verdicts(), now).flatMap(named -> outcomes.record(
                    job.commandId(), job.domain(), VerifyBeginCommand.TYPE,
                    job.verifyCompletion(UUID.randomUUID().toString(), now, named))).replaceWithVoid();
        }
        return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE,
                job.completion(UUID.randomUUID().toString(), now)).replaceWithVoid();
    }
}
