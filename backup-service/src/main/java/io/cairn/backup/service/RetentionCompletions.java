package io.cairn.backup.service;

import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.events.command.RetentionApplyCommand;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Records a retention run's one retention-applied, inside the transaction that ends the run. */
@ApplicationScoped
public class RetentionCompletions {
    private static final Logger LOG = Logger.getLogger(RetentionCompletions.class);

    @Inject
    CommandOutcomes outcomes;

    public Uni<Void> record(RetentionRun run, Instant now) {
        var outcome = run.outcome(UUID.randomUUID().toString(), now);
        LOG.infof("retention run %s of %s %s: %d kept, %d merged, %d deleted, %d bytes freed%s", run.runId(),
                run.domain(), outcome.success() ? "completed" : "failed", outcome.kept().size(),
                outcome.merged().size(), outcome.deleted().size(), outcome.bytesFreed(),
                outcome.error() == null ? "" : ": " + outcome.error().message());
        return outcomes.record(run.commandId(), run.domain(), RetentionApplyCommand.TYPE, outcome).replaceWithVoid();
    }
}
