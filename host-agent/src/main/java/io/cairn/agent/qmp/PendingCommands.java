package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Commands sent but not yet answered, keyed by the QMP "id" QEMU echoes back in the reply. */
final class PendingCommands {

    private static final Logger LOG = Logger.getLogger(PendingCommands.class);

    private final String domain;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile QmpException closedCause;

    PendingCommands(String domain) {
        this.domain = domain;
    }

    /** Allocates an id and a future that fails with {@link QmpTimeoutException} unless answered in time. */
    Registration register(String command, Duration timeout) {
        long id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        // The future decides who wins (reply, timeout, connection loss); the map only finds it by id.
        ScheduledFuture<?> timer = QmpTimers.schedule(timeout, () -> {
            // Out of the map before the caller hears of the timeout, so it never sees the command still pending (CI
            // saw that race); a reply arriving now finds nothing to complete and is dropped as late.
            if (!future.isDone()) {
                pending.remove(id);
                future.completeExceptionally(new QmpTimeoutException(command, timeout));
            }
        });
        pending.put(id, new Pending(command, future, timer));
        if (future.isDone()) {
            pending.remove(id); // a timeout shorter than this method
        }
        // failAll() sets closedCause before draining, so a registration racing with it is failed here.
        QmpException cause = closedCause;
        if (cause != null) {
            fail(id, cause);
        }
        return new Registration(id, future);
    }

    void complete(long id, JsonNode result) {
        Pending entry = take(id);
        if (entry != null) {
            entry.future().complete(result);
        }
    }

    void completeWithError(long id, JsonNode error) {
        Pending entry = take(id);
        if (entry != null) {
            entry.future().completeExceptionally(QmpErrors.fromReply(entry.command(), error));
        }
    }

    void fail(long id, Throwable cause) {
        Pending entry = pending.remove(id);
        if (entry != null) {
            entry.timer().cancel(false);
            entry.future().completeExceptionally(cause);
        }
    }

    /** Fails everything outstanding and every later registration: the connection is gone. */
    void failAll(QmpException cause) {
        closedCause = cause;
        for (Long id : pending.keySet()) {
            fail(id, cause);
        }
    }

    int size() {
        return pending.size();
    }

    private Pending take(long id) {
        Pending entry = pending.remove(id);
        if (entry == null) {
            // The command timed out earlier; QEMU executes monitor commands in order and still answers.
            LOG.debugf("[%s] dropping late QMP reply for id %d", domain, id);
            return null;
        }
        entry.timer().cancel(false);
        return entry;
    }

    record Registration(long id, CompletableFuture<JsonNode> future) {
    }

    private record Pending(String command, CompletableFuture<JsonNode> future, ScheduledFuture<?> timer) {
    }
}
