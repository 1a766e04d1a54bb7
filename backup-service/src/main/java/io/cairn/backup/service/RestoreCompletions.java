package io.cairn.backup.service;

import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.command.RestoreBeginCommand;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/** Records a restore's restore-completed as its restore.begin's one outcome, inside the transaction that ended it. */
@ApplicationScoped
public class RestoreCompletions {

    @Inject
    CommandOutcomes outcomes;

    public Uni<Void> record(RestoreJob job, Instant now) {
        return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE,
                job.completion(UUID.randomUUID().toString(), now)).replaceWithVoid();
    }
}
