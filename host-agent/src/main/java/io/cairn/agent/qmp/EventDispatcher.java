package io.cairn.agent.qmp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/** Hands events to listeners on one ordered thread per connection, keeping listener code off the reader thread. */
final class EventDispatcher {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);

    private final List<QmpEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;

    EventDispatcher(String domain) {
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "qmp-events-" + domain);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers a listener; running the returned handle removes it again. */
    Runnable add(QmpEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void dispatch(QmpEvent event) {
        try {
            executor.execute(() -> {
                QmpTracing.forgetThreadContext();
                deliver(event);
            });
        } catch (RejectedExecutionException e) {
            LOG.debugf("event %s after shutdown dropped", event.name());
        }
    }

    /** Runs {@code last} after the events already queued (e.g. SHUTDOWN just before EOF), then stops. */
    void dispatchThenShutdown(Runnable last) {
        try {
            executor.execute(last);
        } catch (RejectedExecutionException e) {
            return;
        }
        executor.shutdown();
    }

    private void deliver(QmpEvent event) {
        for (QmpEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "QMP event listener failed on %s", event.name());
            }
        }
    }
}
