package io.cairn.agent.qmp;

import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.time.Duration;

/** Shared sizes, timeouts and the connect step of the QMP tests against real QEMU processes. */
final class QmpTestSupport {

    static final long MIB = 1024 * 1024;
    static final Duration WAIT = Duration.ofSeconds(20);

    private QmpTestSupport() {
    }

    static GuestlessQemu startWithOneDisk(Path tempDir, String domain) {
        return GuestlessQemu.builder(tempDir).domain(domain).disk("vda", 16 * MIB).start();
    }

    static QmpClient connect(GuestlessQemu qemu) {
        return QmpClient.connect(qemu.qmpSocket(), qemu.domain()).await().atMost(WAIT);
    }

    static QmpClient connect(GuestlessQemu qemu, QmpClientOptions options) {
        return QmpClient.connect(qemu.qmpSocket(), qemu.domain(), options).await().atMost(WAIT);
    }
}
