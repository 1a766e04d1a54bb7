package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many commands in flight from many threads each get their own reply, matched by id. */
class QmpCorrelationTest {

    private static final int COMMANDS = 400;

    @Test
    void concurrentCommandsGetTheirOwnReplies(@TempDir Path tempDir) throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "corr");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            List<CompletableFuture<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                int index = i;
                outcomes.add(CompletableFuture.supplyAsync(() -> issue(client, index), callers)
                        .thenCompose(future -> future));
            }

            for (int i = 0; i < COMMANDS; i++) {
                assertThat(outcomes.get(i).join()).as("command %d", i).isEqualTo(expected(i));
            }
            assertThat(client.pendingCommandCount()).isZero();
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Three commands whose replies differ in shape; the failing one names its own index in the error. */
    private static CompletableFuture<String> issue(QmpClient client, int index) {
        return switch (index % 3) {
            case 0 -> client.execute("query-version").map(reply -> "version " + reply.path("qemu").path("major").asInt())
                    .subscribeAsCompletionStage();
            case 1 -> client.execute("query-status").map(reply -> "status " + reply.path("status").asText())
                    .subscribeAsCompletionStage();
            default -> client.execute("block-dirty-bitmap-add",
                            QmpClient.arguments().put("node", "nosuch-" + index).put("name", "b"))
                    .map(JsonNode::toString)
                    .onFailure(QmpErrorException.class).recoverWithItem(e -> ((QmpErrorException) e).desc())
                    .subscribeAsCompletionStage();
        };
    }

    private static String expected(int index) {
        return switch (index % 3) {
            case 0 -> "version 7";
            case 1 -> "status prelaunch";
            default -> "Cannot find device='nosuch-" + index + "' nor node-name='nosuch-" + index + "'";
        };
    }

    @Test
    void commandIsSentOnSubscriptionNotOnCreation(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "lazy");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            var notSubscribed = client.execute("query-status");

            assertThat(client.pendingCommandCount()).isZero();
            assertThat(notSubscribed.await().atMost(WAIT).path("running").asBoolean()).isFalse();
        }
    }
}
