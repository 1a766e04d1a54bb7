package io.cairn.backup.service;

import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Applies the agents' restore reports through the restore model and writes what they caused to the outbox in the
 * same transaction: restore-progress at most once per interval, an export's restore-exported once it serves, and
 * exactly one restore-completed (an ended restore ignores every later report).
 */
@ApplicationScoped
public class RestoreReports {

    @Inject
    RestoreJobStore store;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    RestoreCompletions completions;

    @Inject
    OutboxRelay relay;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    Clock clock;

    public Uni<Void> apply(RestoreJobReport report) {
        Instant now = clock.instant();
        return store.update(report.restoreId(), job -> job.apply(report, now, limits.progressInterval()),
                        change -> publish(change.job(), change.result(), report, now))
                .invoke(relay::kick)
                .replaceWithVoid()
                // A report of a restore this service does not know (another deployment sharing the broker).
                .onFailure(failure -> failure instanceof CairnException cairn
                        && cairn.code() == VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP).recoverWithNull();
    }

    private Uni<Void> publish(RestoreJob job, RestoreJob.ReportEffect effect, RestoreJobReport report, Instant now) {
        if (effect.exported()) {
            // An export's begin is answered once it serves, as a pull's backup-started answers its begin.
            return outcomes.record(job.commandId(), job.domain(), RestoreBeginCommand.TYPE,
                    job.exported(UUID.randomUUID().toString(), now, report.nbd())).replaceWithVoid();
        }
        if (effect.ended()) {
            return completions.record(job, now);
        }
        if (effect.progressDue()) {
            return outcomes.publish(job.progress(UUID.randomUUID().toString(), now));
        }
        return Uni.createFrom().voidItem();
    }
}
