package io.cairn.backup.service;

import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.backup.service.retention.RetentionRunState;
import io.cairn.backup.service.retention.RetentionRunStore;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Moves retention runs along on its own: starts the runs asked for after backups once their domain is free (or
 * fails one that waited {@code cairn.backup.retention-wait}), and fails a running one whose agent has been silent for
 * {@code cairn.backup.retention-silence}, so every run still ends with its one outcome.
 */
@ApplicationScoped
public class RetentionSchedule {
    private static final Logger LOG = Logger.getLogger(RetentionSchedule.class);

    @Inject
    RetentionRunStore store;

    @Inject
    RetentionStarter starter;

    @Inject
    DomainActivity activity;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    Clock clock;

    @Scheduled(every = "${cairn.backup.retention-tick:5s}", delayed = "${cairn.backup.retention-tick:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return runNow().onFailure().recoverWithItem(failure -> {
            LOG.warnf("retention schedule failed: %s", failure.getMessage());
            return null;
        }).replaceWithVoid();
    }

    /** One pass over the active runs, one at a time. */
    public Uni<Void> runNow() {
        return store.active().flatMap(runs -> Multi.createFrom().iterable(runs)
                .onItem().transformToUniAndConcatenate(run -> step(run)
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("retention run %s of %s: %s", run.runId(), run.domain(), failure.getMessage());
                            return null;
                        }))
                .collect().asList()).replaceWithVoid();
    }

    private Uni<Void> step(RetentionRun run) {
        Instant now = clock.instant();
        if (run.state() == RetentionRunState.RUNNING) {
            return run.isSilent(now, limits.retentionSilence()) ? starter.failSilent(run.runId(), ErrorInfo.of(
                    VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: retention run " + run.runId()
                            + " was not heard of from host " + run.hostId() + " for " + limits.retentionSilence()
                            + " (its agent stopped or lost it); the steps it reported are in the catalog, the "
                            + "checksum of the artifact it may have been rewriting is forgotten until the next run"))
                    : Uni.createFrom().voidItem();
        }
        return activity.whyRetentionMustWait(run.domain()).flatMap(busy -> {
            if (now.isAfter(run.requestedAt().plus(limits.retentionWait()))) {
                return starter.fail(run.runId(), ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                        "Requested operation is not valid: retention run " + run.runId() + " waited "
                                + limits.retentionWait() + " without starting" + busy.map(why -> ": " + why)
                                .orElse("")));
            }
            return busy.isEmpty() ? starter.start(run) : Uni.createFrom().voidItem();
        });
    }
}
