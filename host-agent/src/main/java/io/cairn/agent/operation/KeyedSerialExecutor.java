package io.cairn.agent.operation;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one at a time per key (a domain) and in submission order, while different keys
 * run in parallel; no thread waits: each piece starts when the previous one's Uni has ended.
 */
public final class KeyedSerialExecutor {

    private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /** The work starts once the returned Uni is subscribed and every earlier work of the key has ended. */
    public <T> Uni<T> submit(String key, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(key, mine);
            // In the submitter's trace, also when it starts later on the thread that ended the previous work.
            Runnable run = io.opentelemetry.context.Context.current().wrap(() -> start(work, result, mine));
            if (previous == null) {
                run.run();
            } else {
                previous.whenComplete((ignored, failure) -> run.run());
            }
            // Forget an idle key, unless newer work has queued behind us meanwhile.
            mine.whenComplete((ignored, failure) -> tails.remove(key, mine));
            return Uni.createFrom().completionStage(result);
        });
    }

    int activeKeys() {
        return tails.size();
    }

    private static <T> void start(Supplier<Uni<T>> work, CompletableFuture<T> result, CompletableFuture<Void> done) {
        Uni<T> uni;
        try {
            uni = work.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            done.complete(null);
            return;
        }
        uni.subscribe().with(item -> {
            done.complete(null);
            result.complete(item);
        }, failure -> {
            done.complete(null);
            result.completeExceptionally(failure);
        });
    }
}
