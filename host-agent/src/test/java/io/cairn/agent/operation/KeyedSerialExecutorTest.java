package io.cairn.agent.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One key's work runs in order, one at a time; another key is not held up; failures do not stop the queue. */
class KeyedSerialExecutorTest {

    @Test
    void serialPerKeyParallelAcrossKeys() {
        KeyedSerialExecutor executor = new KeyedSerialExecutor();
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> firstGate = new CompletableFuture<>();

        CompletableFuture<String> first = executor.submit("a", () -> {
            log.add("a1-start");
            return Uni.createFrom().completionStage(firstGate);
        }).subscribeAsCompletionStage().toCompletableFuture();
        CompletableFuture<String> failing = executor.submit("a", () -> {
            log.add("a2-start");
            return Uni.createFrom().<String>failure(new IllegalStateException("boom"));
        }).subscribeAsCompletionStage().toCompletableFuture();
        CompletableFuture<String> third = executor.submit("a", () -> {
            log.add("a3-start");
            return Uni.createFrom().item("a3");
        }).subscribeAsCompletionStage().toCompletableFuture();
        String other = executor.submit("b", () -> Uni.createFrom().item("b1")).await().indefinitely();

        assertThat(other).isEqualTo("b1");
        assertThat(log).containsExactly("a1-start");
        firstGate.complete("a1");
        assertThat(first.join()).isEqualTo("a1");
        assertThat(failing).isCompletedExceptionally();
        assertThat(third.join()).isEqualTo("a3");
        assertThat(log).containsExactly("a1-start", "a2-start", "a3-start");
        assertThat(executor.activeKeys()).isZero();
    }
}
