package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints QEMU start-up and QMP round-trip figures; runs only on demand with {@code -Dgroups=benchmark}. */
@Tag("benchmark")
class QmpLatencyBenchmarkTest {

    private static final int STARTS = 7;
    private static final int CALLS = 1000;
    private static final int WARM_UP_CALLS = 200;

    @Test
    void startUpAndRoundTripFigures(@TempDir Path tempDir) {
        long[] execToSocket = new long[STARTS];
        long[] execToNegotiated = new long[STARTS];
        for (int run = 0; run < STARTS; run++) {
            long started = System.nanoTime();
            try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "start" + run);
                    QmpClient client = QmpTestSupport.connect(qemu)) {
                execToNegotiated[run] = System.nanoTime() - started;
                execToSocket[run] = qemu.execToSocket().toNanos();
            }
        }
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "latency");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            QmpCommands commands = new QmpCommands(client);
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                commands.queryVersion().await().atMost(WAIT);
            }
            long[] roundTrips = new long[CALLS];
            for (int i = 0; i < CALLS; i++) {
                long sent = System.nanoTime();
                commands.queryVersion().await().atMost(WAIT);
                roundTrips[i] = System.nanoTime() - sent;
            }
            System.out.printf("exec -> QMP socket (qemu exec only): median %.1f ms over %d starts%n",
                    median(execToSocket) / 1e6, STARTS);
            System.out.printf("builder.start() incl. qemu-img create -> capabilities negotiated: median %.1f ms%n",
                    median(execToNegotiated) / 1e6);
            System.out.printf("query-version round trip over %d calls: median %.1f us, p99 %.1f us, max %.1f us%n",
                    CALLS, median(roundTrips) / 1e3, percentile(roundTrips, 0.99) / 1e3,
                    Arrays.stream(roundTrips).max().orElseThrow() / 1e3);
            long burstStarted = System.nanoTime();
            List<CompletableFuture<QemuVersion>> burst = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                burst.add(commands.queryVersion().subscribeAsCompletionStage());
            }
            burst.forEach(CompletableFuture::join);
            double burstSeconds = (System.nanoTime() - burstStarted) / 1e9;
            System.out.printf("%d query-version in flight at once: %.0f ms, %.0f commands/s%n",
                    CALLS, burstSeconds * 1e3, CALLS / burstSeconds);
            assertThat(median(roundTrips)).isPositive();
        }
    }

    private static long median(long[] values) {
        return percentile(values, 0.5);
    }

    private static long percentile(long[] values, double fraction) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
    }
}
