package io.cairn.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a condition the benchmark cannot be told about (a REST answer, a file's contents), checked on a timer. */
final class Waiting {
    private static final Duration EVERY = Duration.ofMillis(200);

    private Waiting() {
    }

    /** Returns once {@code condition} holds; fails the benchmark when it does not within {@code timeout}. */
    static void until(BooleanSupplier condition, Duration timeout, String what) {
        if (!within(condition, timeout)) {
            throw new BenchFailure("no " + what + " within " + timeout.toSeconds() + " s");
        }
    }

    /** Whether {@code condition} came to hold within {@code timeout}. */
    static boolean within(BooleanSupplier condition, Duration timeout) {
        CompletableFuture<Void> held = new CompletableFuture<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "bench-wait");
            thread.setDaemon(true);
            return thread;
        });
        try {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    if (condition.getAsBoolean()) {
                        held.complete(null);
                    }
                } catch (RuntimeException e) {
                    held.completeExceptionally(e);
                }
            }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
            held.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new BenchFailure(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted", e);
        } finally {
            timer.shutdownNow();
        }
    }
}
