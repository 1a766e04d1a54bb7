package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command QEMU does not answer in time fails on its own, and its late reply cannot confuse later ones. */
class QmpTimeoutTest {

    @Test
    void unansweredCommandTimesOutAndItsLateReplyIsDropped(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "timeout");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            qemu.sigstop();
            Duration timeout = Duration.ofMillis(300);
            long started = System.nanoTime();

            QmpTimeoutException timedOut = catchThrowableOfType(QmpTimeoutException.class,
                    () -> client.execute("query-status", null, timeout).await().atMost(WAIT));

            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            assertThat(timedOut.command()).isEqualTo("query-status");
            assertThat(waited).isBetween(timeout, timeout.plusSeconds(5));
            assertThat(client.pendingCommandCount()).isZero();
            assertThat(client.isClosed()).isFalse();

            qemu.sigcont();
            // QEMU now answers the stale query-status first; the next command must still get its own reply.
            QemuVersion version = new QmpCommands(client).queryVersion().await().atMost(WAIT);
            assertThat(version.major()).isEqualTo(7);
        }
    }
}
