package io.cairn.agent.qmp;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One daemon timer thread shared by all connections: command timeouts must not cost a thread each. */
final class QmpTimers {

    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private QmpTimers() {
    }

    static ScheduledFuture<?> schedule(Duration delay, Runnable action) {
        return TIMER.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "qmp-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        // Most timeouts are cancelled by the reply; drop them at once instead of keeping them queued.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
