package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.MIB;
import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QemuDisk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guest writes made through HMP qemu-io are tracked by a checkpoint bitmap, at its granularity. */
class GuestWriteDirtyBitmapTest {

    @Test
    void guestWritesDirtyTheCheckpointBitmap(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("dirty").disk("vda", 16 * MIB).start();
                QmpClient client = QmpTestSupport.connect(qemu)) {
            QmpCommands commands = new QmpCommands(client);
            QemuDisk vda = qemu.disk("vda");
            commands.transaction(List.of(TransactionAction.addBitmap(vda.formatNodeName(), "chk1", true, false)))
                    .await().atMost(WAIT);

            commands.hmp("qemu-io -d " + vda.qemuIoBackend() + " \"write -P 0xab 0 1M\"").await().atMost(WAIT);

            DirtyBitmap afterOneMib = BlockJobEventsTest.bitmap(commands, vda.formatNodeName(), "chk1");
            assertThat(afterOneMib.count()).isEqualTo(1_048_576);
            assertThat(afterOneMib.granularity()).as("defaults to the qcow2 cluster size").isEqualTo(65_536);
            assertThat(afterOneMib.inconsistent()).isFalse();
            // qemu-io reports on QEMU's stdout, never in the QMP reply.
            await().atMost(WAIT).until(() -> qemu.log().contains("wrote 1048576/1048576 bytes at offset 0"));

            // A 4 KiB write elsewhere dirties one more whole 64 KiB granule.
            commands.hmp("qemu-io -d " + vda.qemuIoBackend() + " \"write -P 0xcd 3M 4k\"").await().atMost(WAIT);
            assertThat(BlockJobEventsTest.bitmap(commands, vda.formatNodeName(), "chk1").count())
                    .isEqualTo(1_048_576 + 65_536);
        }
    }
}
