package io.cairn.agent.guest;

import io.cairn.agent.config.AgentConfig;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs one action (a checkpoint's bitmap transaction) with the guest's file systems frozen: freeze, action, thaw,
 * the thaw sent on every path once a freeze may have happened, and at the latest when {@code max-freeze} expires.
 * An action that succeeded while the guest was not frozen throughout (the freeze expired first, or the thaw failed,
 * as libvirt fails a quiesced snapshot whose thaw fails) is undone, so the caller's one outcome is an error and
 * nothing of it stays behind.
 */
public final class Quiescer {

    private static final Logger LOG = Logger.getLogger(Quiescer.class);

    /** The action's result and what the freeze did: how many file systems, and how long from freeze to thawed. */
    public record Quiesced<T>(int frozenFilesystems, Duration frozenFor, T result) {
    }

    private final GuestAgentConnector connector;
    private final AgentConfig.GuestAgent limits;
    private final Duration actionGrace;
    private final ScheduledExecutorService timer;
    private final Executor worker;

    /**
     * @param actionGrace how long to wait for an action still running when the freeze expired, to know whether it
     *                    must be undone (the QMP command timeout)
     * @param timer       runs the thaw at max-freeze, whatever the action is doing
     */
    public Quiescer(GuestAgentConnector connector, AgentConfig.GuestAgent limits, Duration actionGrace,
            ScheduledExecutorService timer, Executor worker) {
        this.connector = connector;
        this.limits = limits;
        this.actionGrace = actionGrace;
        this.timer = timer;
        this.worker = worker;
    }

    public Quiescer(GuestAgentConnector connector, AgentConfig.GuestAgent limits, Duration actionGrace,
            ScheduledExecutorService timer) {
        this(connector, limits, actionGrace, timer, Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Freezes the domain's guest, runs the action, thaws. Fails without running the action when the guest agent
     * cannot freeze (not configured, not connected, an error); {@code undo} takes back a successful action whose
     * freeze did not hold until it ended.
     */
    public <T> Uni<Quiesced<T>> around(String domain, Supplier<Uni<T>> action, Function<T, Uni<Void>> undo) {
        return Uni.createFrom().item(() -> run(domain, action, undo)).runSubscriptionOn(worker);
    }

    private <T> Quiesced<T> run(String domain, Supplier<Uni<T>> action, Function<T, Uni<Void>> undo) {
        try (Freeze freeze = new Freeze(domain, connector, limits)) {
            ScheduledFuture<?> watchdog = timer.schedule(freeze::expire, limits.maxFreeze().toNanos(),
                    TimeUnit.NANOSECONDS);
            try {
                int frozen = freeze.freeze();
                CompletableFuture<T> running = action.get().subscribeAsCompletionStage();
                T result;
                try {
                    result = running.get(Math.max(0, freeze.remainingNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException late) {
                    freeze.thaw();
                    throw expiredDuring(domain, running, undo);
                } catch (ExecutionException failed) {
                    freeze.thaw().ifPresent(thawFailure -> LOG.warnf("%s: the checkpoint failed and thawing failed "
                            + "too: %s", domain, thawFailure.getMessage()));
                    throw unwrap(failed);
                }
                boolean expiredFirst = freeze.expired();
                java.util.Optional<CairnException> thawFailure = freeze.thaw();
                if (expiredFirst) {
                    undo(domain, undo, result);
                    throw expired(domain);
                }
                if (thawFailure.isPresent()) {
                    undo(domain, undo, result);
                    throw new CairnException(thawFailure.get().code(), thawFailure.get().getMessage() + "; the "
                            + "checkpoint was not kept (its bitmaps were removed), and the guest's file systems may "
                            + "still be frozen");
                }
                LOG.infof("%s: %d file system(s) frozen for %d ms around the checkpoint", domain, frozen,
                        freeze.frozenFor().toMillis());
                return new Quiesced<>(frozen, freeze.frozenFor(), result);
            } finally {
                watchdog.cancel(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_ABORTED, "quiesce of '" + domain + "' interrupted");
        }
    }

    /** The freeze expired while the action ran: wait for it to end (QEMU goes on) and take it back if it succeeded. */
    private <T> CairnException expiredDuring(String domain, CompletableFuture<T> running, Function<T, Uni<Void>> undo)
            throws InterruptedException {
        try {
            undo(domain, undo, running.get(actionGrace.toNanos(), TimeUnit.NANOSECONDS));
        } catch (ExecutionException failed) {
            LOG.debugf("%s: the late checkpoint failed as well: %s", domain, failed.getCause());
        } catch (TimeoutException stillRunning) {
            LOG.errorf("%s: the checkpoint's transaction has not ended %d ms after the freeze expired; its bitmaps may"
                    + " remain", domain, actionGrace.toMillis());
        }
        return expired(domain);
    }

    private <T> void undo(String domain, Function<T, Uni<Void>> undo, T result) {
        try {
            undo.apply(result).await().atMost(actionGrace);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: could not take back the checkpoint made without a holding freeze", domain);
        }
    }

    private CairnException expired(String domain) {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, "the guest's file systems of '" + domain
                + "' were thawed when the maximum freeze of " + limits.maxFreeze().toMillis() + " ms "
                + "(cairn.agent.guest-agent.max-freeze) expired, before the checkpoint was made; the checkpoint was "
                + "not kept");
    }

    private static RuntimeException unwrap(ExecutionException failed) {
        return failed.getCause() instanceof RuntimeException runtime ? runtime
                : new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, String.valueOf(failed.getCause()),
                        failed.getCause());
    }
}
