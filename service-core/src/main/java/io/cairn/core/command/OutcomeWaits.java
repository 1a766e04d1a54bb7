package io.cairn.core.command;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Lets a request wait for a command's outcome without blocking a thread or polling fast: woken when this replica's
 * outbox relay sees the outcome committed, and re-reading the database every {@code cairn.rest.outcome-recheck} for
 * outcomes another replica recorded (its relay, not ours, saw them).
 */
@ApplicationScoped
public class OutcomeWaits {
    /** The longest wait a request may ask for; a longer one is shortened to it. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /** However the re-check is configured, a wait reads the database at most this often. */
    private static final Duration MIN_RECHECK = Duration.ofMillis(100);

    private static final Pattern SECONDS = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");

    private final ConcurrentHashMap<String, Set<Listener>> listeners = new ConcurrentHashMap<>();

    @Inject
    CommandOutcomes outcomes;

    @ConfigProperty(name = "cairn.rest.outcome-recheck", defaultValue = "1s")
    Duration recheck;

    OutcomeWaits(MeterRegistry registry) {
        Gauge.builder("cairn.commands.outcome.waiting", this, OutcomeWaits::waiting)
                .description("requests waiting for a command's outcome (GET /api/v1/commands/{id}?wait=)")
                .register(registry);
    }

    /**
     * A request's {@code wait}: an ISO-8601 duration ({@code PT20S}) or a number of seconds ({@code 20},
     * {@code 2.5}); absent is no wait; longer than {@link #MAX_WAIT} is {@link #MAX_WAIT}; anything else (negative,
     * empty, unreadable) is libvirt's VIR_ERR_INVALID_ARG.
     */
    public static Duration parseWait(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        String value = wait.trim();
        Duration parsed;
        try {
            if (SECONDS.matcher(value).matches()) {
                parsed = Duration.ofMillis(new BigDecimal(value).movePointRight(3).longValue());
            } else {
                parsed = Duration.parse(value);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            parsed = null;
        }
        if (parsed == null || parsed.isNegative()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "invalid argument: wait '" + wait
                    + "' is neither an ISO-8601 duration (PT20S) nor a number of seconds");
        }
        return parsed.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : parsed;
    }

    /**
     * The command's outcome, as soon as it has one {@code visible} to the caller, or null once {@code wait} has
     * passed without one. An outcome the caller may not see is treated as none: the answer comes at the end of the
     * wait, as when there is no outcome at all, so its timing does not tell the caller that it exists. Must be
     * called on the request's Vert.x context, where every database read of the wait then runs.
     */
    public Uni<CairnEvent> await(String commandId, Duration wait, Predicate<CairnEvent> visible) {
        if (wait.isZero()) {
            return outcomes.find(commandId).map(found -> found != null && visible.test(found) ? found : null);
        }
        Context context = Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return Uni.createFrom().deferred(() -> {
            long deadline = System.nanoTime() + wait.toNanos();
            // Listening before the first read: an outcome committed between that read and the first pause still
            // wakes the pause.
            Listener listener = listen(commandId);
            return check(listener, deadline, visible, onContext).onTermination().invoke(listener::close);
        });
    }

    private Uni<CairnEvent> check(Listener listener, long deadline, Predicate<CairnEvent> visible, Executor onContext) {
        return outcomes.find(listener.commandId).flatMap(found -> {
            if (found != null && visible.test(found)) {
                return Uni.createFrom().item(found);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Uni.createFrom().nullItem();
            }
            if (found != null) {
                return Uni.createFrom().<CairnEvent>nullItem().onItem().delayIt().by(Duration.ofNanos(left))
                        .emitOn(onContext);
            }
            return listener.next(Duration.ofNanos(Math.min(left, Math.max(recheck.toNanos(), MIN_RECHECK.toNanos())))).emitOn(onContext)
                    .flatMap(ignored -> check(listener, deadline, visible, onContext));
        });
    }

    /**
     * The command's outcome is committed (this replica's relay read it from the outbox): whoever waits for it reads
     * it now instead of at the next re-check.
     */
    public void signal(String commandId) {
        Set<Listener> waiting = listeners.get(commandId);
        if (waiting != null) {
            waiting.forEach(Listener::wake);
        }
    }

    /** Whether any request waits at all: the relay reads an event's commandId only then. */
    public boolean anyWaiting() {
        return !listeners.isEmpty();
    }

    /** How many requests wait for an outcome now. */
    public int waiting() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    /** How many requests wait for this command's outcome now. */
    public int waiting(String commandId) {
        Set<Listener> waiting = listeners.get(commandId);
        return waiting == null ? 0 : waiting.size();
    }

    private Listener listen(String commandId) {
        Listener listener = new Listener(commandId);
        listeners.compute(commandId, (id, set) -> {
            Set<Listener> waiting = set != null ? set : ConcurrentHashMap.newKeySet();
            waiting.add(listener);
            return waiting;
        });
        return listener;
    }

    /** One waiting request's ear for its command's signal, between two reads of the database. */
    private final class Listener {
        private final String commandId;
        /** A signal came while no pause was waiting: the next pause ends at once. */
        private final AtomicBoolean signalled = new AtomicBoolean();
        private final AtomicReference<Runnable> pause = new AtomicReference<>();

        Listener(String commandId) {
            this.commandId = commandId;
        }

        void wake() {
            signalled.set(true);
            Runnable waiting = pause.getAndSet(null);
            if (waiting != null) {
                waiting.run();
            }
        }

        /** Ends at the next signal (at once if one came since the last pause) or after {@code atMost}. */
        Uni<Void> next(Duration atMost) {
            Uni<Void> signal = Uni.createFrom().emitter(emitter -> {
                Runnable end = () -> {
                    signalled.set(false);
                    emitter.complete(null);
                };
                pause.set(end);
                emitter.onTermination(() -> pause.compareAndSet(end, null));
                if (signalled.get() && pause.compareAndSet(end, null)) {
                    end.run();
                }
            });
            Uni<Void> timer = Uni.createFrom().voidItem().onItem().delayIt().by(atMost);
            return Uni.combine().any().of(signal, timer).replaceWithVoid();
        }

        void close() {
            listeners.computeIfPresent(commandId, (id, waiting) -> {
                waiting.remove(this);
                return waiting.isEmpty() ? null : waiting;
            });
        }
    }
}
