package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the client does when the connection ends: QEMU crashes, quits, or the client closes it. */
class QmpConnectionLossTest {

    @Test
    void killedQemuFailsPendingCommandsWithConnectionLost(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "crash");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            // Frozen first, so the command is certainly still pending when QEMU dies.
            qemu.sigstop();
            CompletableFuture<?> pending = client.execute("query-status").subscribeAsCompletionStage();
            await().atMost(WAIT).until(() -> client.pendingCommandCount() == 1);

            qemu.kill9();

            assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(QmpConnectionLostException.class);
            client.whenClosed().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(client.isClosed()).isTrue();
            assertThat(client.pendingCommandCount()).isZero();
            assertThatThrownBy(() -> client.execute("query-status").await().atMost(WAIT))
                    .isInstanceOf(QmpConnectionLostException.class);
        }
    }

    @Test
    void quitDeliversShutdownEventBeforeTheClientReportsClosed(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "quit");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            RecordingListener events = new RecordingListener();
            client.addEventListener(events);
            CompletableFuture<Boolean> shutdownSeenWhenClosed = client.whenClosed()
                    .thenApply(ignored -> !events.named("SHUTDOWN").isEmpty()).toCompletableFuture();

            // QEMU 7.2 sends SHUTDOWN before the reply to quit and then resets the connection, so the
            // reply itself may or may not arrive.
            client.execute("quit").subscribe().with(ignored -> { }, ignored -> { });

            assertThat(shutdownSeenWhenClosed.get(10, TimeUnit.SECONDS)).isTrue();
            QmpEvent shutdown = events.named("SHUTDOWN").get(0);
            assertThat(shutdown.data().path("guest").asBoolean()).isFalse();
            assertThat(shutdown.dataText("reason")).isEqualTo("host-qmp-quit");
            assertThat(client.isClosed()).isTrue();
            await().atMost(WAIT).until(() -> !qemu.isAlive());
        }
    }

    @Test
    void connectorReconnectsAfterTheClientWasClosed(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "again")) {
            QmpConnector connector = new QmpConnector(qemu.qmpSocket(), "again", QmpClientOptions.DEFAULTS);
            QmpClient first = connector.connect().await().atMost(WAIT);
            first.close();
            first.whenClosed().toCompletableFuture().get(10, TimeUnit.SECONDS);

            try (QmpClient second = connector.connectWithRetry(5, Duration.ofMillis(20)).await().atMost(WAIT)) {
                assertThat(second.isClosed()).isFalse();
                assertThat(new QmpCommands(second).queryVersion().await().atMost(WAIT).major()).isEqualTo(7);
            }
            assertThatThrownBy(() -> first.execute("query-status").await().atMost(WAIT))
                    .isInstanceOf(QmpConnectionLostException.class)
                    .hasMessageContaining("closed by client");
        }
    }

    @Test
    void closedConnectionLeavesNoThreadsBehind(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "threadleak")) {
            QmpClient client = QmpTestSupport.connect(qemu);
            // The event thread starts with the first event, so only reader and writer exist yet.
            assertThat(connectionThreads("threadleak")).contains("qmp-reader-threadleak", "qmp-writer-threadleak");

            client.close();

            await().atMost(WAIT).until(() -> connectionThreads("threadleak").isEmpty());
        }
    }

    private static List<String> connectionThreads(String domain) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("qmp-") && name.endsWith("-" + domain)).toList();
    }

    @Test
    void connectorGivesUpWhenNoQemuListens(@TempDir Path tempDir) {
        QmpConnector connector = new QmpConnector(tempDir.resolve("gone.qmp"), "gone", QmpClientOptions.DEFAULTS);

        assertThatThrownBy(() -> connector.connectWithRetry(3, Duration.ofMillis(10)).await().atMost(WAIT))
                .isInstanceOf(QmpConnectException.class);
    }
}
