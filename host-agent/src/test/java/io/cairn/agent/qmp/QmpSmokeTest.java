package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation: a real guest-less QEMU answers query-version over QMP from Java. */
class QmpSmokeTest {

    @Test
    void queryVersionFromARealQemu(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "smoke");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            QemuVersion version = new QmpCommands(client).queryVersion().await().atMost(WAIT);

            assertThat(version.major()).as("the machine has QEMU 7.2 installed").isEqualTo(7);
            assertThat(version.isAtLeast(7, 1)).as("fleecing needs >= 7.1").isTrue();
            assertThat(version.packageName()).isNotBlank();
        }
    }
}
