package io.cairn.agent.restore;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A restore's read-only side work (checksums) on a thread of its own, so it overlaps qemu-img on a second core;
 * {@link #join} hands back its result or rethrows its failure as it was thrown.
 */
final class Background<T> {
    private final CompletableFuture<T> result;

    private Background(CompletableFuture<T> result) {
        this.result = result;
    }

    static <T> Background<T> start(String name, Supplier<T> work) {
        return new Background<>(CompletableFuture.supplyAsync(work, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.start();
        }));
    }

    /** Waits for it to end; its own exception, unwrapped. */
    T join() {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Waits for it to end; what it threw, or null. */
    Throwable failure() {
        try {
            join();
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }
}
