package io.cairn.backup.service;

import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.RestoreMode;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Ends restores nobody hears of any more: one whose agent went silent (killed, host down; a restarted agent deletes
 * the half-written image it recorded) or never accepted it (the service died before asking) is failed after
 * {@code cairn.backup.restore-silence}, so every restore.begin still gets its one outcome. An export that serves is
 * not silent (its agent reports every heartbeat); one that is, is failed and its agent told to stop it should it come
 * back. Exports past their ttl are asked to end, and an end the agent has not acted on is asked again.
 */
@ApplicationScoped
public class RestoreSweeper {
    private static final Logger LOG = Logger.getLogger(RestoreSweeper.class);

    @Inject
    RestoreJobStore store;

    @Inject
    RestoreCompletions completions;

    @Inject
    OutboxRelay relay;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    RestoreEnds ends;

    @Inject
    Clock clock;

    @Scheduled(every = "${cairn.backup.sweep-interval:10s}", delayed = "${cairn.backup.sweep-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepNow().onFailure().recoverWithItem(failure -> {
            LOG.warnf("restore sweep failed: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** Fails every silent restore once and ends exports past their ttl; answers how many it failed. */
    public Uni<Integer> sweepNow() {
        return store.activeIds().flatMap(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> failIfSilent(id).call(failed -> failed
                        ? Uni.createFrom().voidItem()
                        : ends.endIfExpired(id).chain(() -> ends.askAgainIfOverdue(id,
                                limits.restoreSilence().dividedBy(2)))))
                .collect().asList())
                .map(ended -> (int) ended.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> failIfSilent(String restoreId) {
        Instant now = clock.instant();
        return store.update(restoreId, job -> job.isSilent(now, limits.restoreSilence()) && job.fail(ErrorInfo.of(
                        VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: restore " + job.restoreId()
                                + " was not heard of from host " + job.hostId() + " for " + limits.restoreSilence()
                                + " (its agent stopped or lost it); any half-written image is deleted by the agent"),
                        now),
                        change -> change.result() ? completions.record(change.job(), now) : Uni.createFrom().voidItem())
                .call(change -> {
                    if (!change.result()) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("restore %s of %s: its agent on %s was silent too long; failed", restoreId,
                            change.job().domain(), change.job().hostId());
                    relay.kick();
                    // Its agent may come back still serving the export or writing the copy: it must stop what nobody
                    // follows any more (a copy's half-written image is deleted by the abort).
                    RestoreMode mode = change.job().mode();
                    return mode == RestoreMode.EXPORT || mode == RestoreMode.COPY || mode == RestoreMode.THIN
                            ? ends.tell(change.job(), restoreId + "/silent") : Uni.createFrom().voidItem();
                })
                .map(RestoreJobStore.Change::result);
    }
}
