package io.cairn.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.qmp.DirtyBitmap;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.QmpCommands;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QemuDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the inventory shows after QEMU restarts: checkpoints survive a clean stop, but a kill -9 makes
 * the bitmaps that were loaded from the image "inconsistent" and loses those added since the start
 * (qemu-qmp-verified.md §6) — the state the agent must detect to force a full backup.
 */
class CrashLeftoverBitmapsTest {

    private static final long MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void cleanStopKeepsCheckpointsAndKill9LeavesThemInconsistent(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("crash").disk("vda", 16 * MIB).start()) {
            QemuDisk vda = qemu.disk("vda");
            try (QmpClient client = connect(qemu)) {
                QmpCommands commands = new QmpCommands(client);
                commands.transaction(List.of(TransactionAction.addBitmap(vda.formatNodeName(), "chk1", true, false)))
                        .await().atMost(WAIT);
                commands.hmp("qemu-io -d " + vda.qemuIoBackend() + " \"write -P 0x01 0 1M\"").await().atMost(WAIT);
            }
            qemu.stop();
            qemu.restart();

            try (QmpClient client = connect(qemu)) {
                QmpCommands commands = new QmpCommands(client);
                DirtyBitmap reloaded = vdaInventory(commands).bitmap("chk1").orElseThrow();
                assertThat(reloaded.inconsistent()).isFalse();
                assertThat(reloaded.recording()).isTrue();
                assertThat(reloaded.count()).as("the count survives a clean stop").isEqualTo(MIB);
                commands.transaction(List.of(TransactionAction.addBitmap(vda.formatNodeName(), "chk2", true, false)))
                        .await().atMost(WAIT);
            }
            qemu.kill9();
            qemu.restart();

            try (QmpClient client = connect(qemu)) {
                DiskInventory disk = vdaInventory(new QmpCommands(client));
                assertThat(disk.bitmapNames()).as("chk2 was never written to the image").containsExactly("chk1");
                DirtyBitmap leftover = disk.bitmap("chk1").orElseThrow();
                assertThat(leftover.inconsistent()).isTrue();
                assertThat(leftover.recording()).isFalse();
                assertThat(leftover.count()).isZero();
            }
        }
    }

    private static DiskInventory vdaInventory(QmpCommands commands) {
        return new InventoryReader(commands).read().await().atMost(WAIT).disk("vda").orElseThrow();
    }

    private static QmpClient connect(GuestlessQemu qemu) {
        return QmpClient.connect(qemu.qmpSocket(), qemu.domain()).await().atMost(WAIT);
    }
}
