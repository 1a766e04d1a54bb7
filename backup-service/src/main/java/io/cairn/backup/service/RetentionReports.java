package io.cairn.backup.service;

import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.backup.service.retention.RetentionRunStore;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.events.agent.RetentionJobReport;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/**
 * Applies the agents' retention reports: each step the agent finished is written to the catalog in the transaction
 * that records the report (a rewritten artifact's new base, size and checksum; a deleted one pruned), and the run's
 * end records its one retention-applied with them.
 */
@ApplicationScoped
public class RetentionReports {

    @Inject
    RetentionRunStore store;

    @Inject
    ArtifactCatalog catalog;

    @Inject
    RetentionCompletions completions;

    @Inject
    OutboxRelay relay;

    @Inject
    Clock clock;

    public Uni<Void> apply(RetentionJobReport report) {
        Instant now = clock.instant();
        return store.update(report.runId(), run -> run.apply(report, now), change -> {
                    RetentionRun.ReportEffect effect = change.result();
                    return catalog.recordMerged(effect.newlyMerged())
                            .chain(() -> catalog.recordPruned(effect.newlyDeleted(), report.runId(), now))
                            .chain(() -> effect.ended() ? completions.record(change.run(), now)
                                    : Uni.createFrom().voidItem());
                })
                .invoke(relay::kick)
                .replaceWithVoid()
                // A report of a run this service does not know (another deployment sharing the broker).
                .onFailure(failure -> failure instanceof CairnException cairn
                        && cairn.code() == VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP).recoverWithNull();
    }
}
