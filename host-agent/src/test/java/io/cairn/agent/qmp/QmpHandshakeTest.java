package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greeting, capabilities negotiation and the threading contract of a connection. */
class QmpHandshakeTest {

    @Test
    void greetingIsParsedAndCapabilitiesAreNegotiated(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "hello");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            QmpGreeting greeting = client.greeting();
            assertThat(greeting.capabilities()).contains("oob");
            assertThat(greeting.version()).isEqualTo(new QmpCommands(client).queryVersion().await().atMost(WAIT));

            // Before negotiation QEMU answers every command except qmp_capabilities with CommandNotFound;
            // a working query-status and a refused second negotiation prove the client negotiated once.
            assertThat(client.execute("query-status").await().atMost(WAIT).path("status").asText()).isEqualTo("prelaunch");
            assertThatThrownBy(() -> client.execute("qmp_capabilities").await().atMost(WAIT))
                    .isInstanceOf(CommandNotFoundException.class)
                    .hasMessageContaining("Capabilities negotiation is already complete");
        }
    }

    @Test
    void callerIsNeverBlockedAndRepliesCompleteOnTheDaemonReaderThread(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "threads");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            // A frozen QEMU cannot answer, so a blocking client would hang right here.
            qemu.sigstop();
            CompletableFuture<Thread> completing = client.execute("query-status")
                    .map(ignored -> Thread.currentThread()).subscribeAsCompletionStage();
            assertThat(completing).isNotDone();

            qemu.sigcont();
            Thread thread = completing.get(20, TimeUnit.SECONDS);
            assertThat(thread.getName()).isEqualTo("qmp-reader-threads");
            assertThat(thread.isDaemon()).isTrue();
        }
    }

    @Test
    void connectingToAMissingSocketFailsWithConnectException(@TempDir Path tempDir) {
        Path nowhere = tempDir.resolve("absent.qmp");

        assertThatThrownBy(() -> QmpClient.connect(nowhere, "absent").await().atMost(WAIT))
                .isInstanceOf(QmpConnectException.class)
                .hasMessageContaining(nowhere.toString());
    }

    @Test
    void connectingToAFrozenQemuTimesOutWaitingForTheGreeting(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "frozen")) {
            qemu.sigstop();
            QmpClientOptions shortHandshake = new QmpClientOptions(Duration.ofSeconds(5), Duration.ofMillis(300));

            assertThatThrownBy(() -> QmpClient.connect(qemu.qmpSocket(), "frozen", shortHandshake).await().atMost(WAIT))
                    .isInstanceOf(QmpConnectException.class)
                    .hasMessageContaining("no QMP greeting");
        }
    }
}
