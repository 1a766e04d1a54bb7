package io.cairn.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.qmp.BlockDevice;
import io.cairn.agent.qmp.DirtyBitmap;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.QmpCommands;
import io.cairn.agent.qmp.QmpEvent;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QemuImg;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory of a real two-disk QEMU: device ids, their format nodes and their named bitmaps. */
class InventoryReaderTest {

    private static final long MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void mapsEachDeviceToItsFormatNodeAndBitmaps(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = twoDisks(tempDir, "inv");
                QmpClient client = connect(qemu)) {
            QmpCommands commands = new QmpCommands(client);
            QemuDisk vda = qemu.disk("vda");
            QemuDisk vdb = qemu.disk("vdb");
            commands.transaction(List.of(
                    TransactionAction.addBitmap(vda.formatNodeName(), "chk1", true, false),
                    TransactionAction.addBitmap(vdb.formatNodeName(), "chk1", true, false),
                    TransactionAction.addBitmap(vdb.formatNodeName(), "chk2", true, true))).await().atMost(WAIT);
            commands.hmp("qemu-io -d " + vdb.qemuIoBackend() + " \"write -P 0x5a 2M 1M\"").await().atMost(WAIT);

            VmInventory inventory = new InventoryReader(commands).read().await().atMost(WAIT);

            assertThat(inventory.domain()).isEqualTo("inv");
            assertThat(inventory.disks()).extracting(DiskInventory::deviceId).containsExactly("vda", "vdb");
            DiskInventory first = inventory.disk("vda").orElseThrow();
            assertThat(first.formatNodeName()).isEqualTo("libvirt-1-format");
            assertThat(first.driver()).isEqualTo("qcow2");
            assertThat(first.imageFilename()).isEqualTo(vda.image().toString());
            assertThat(first.virtualSize()).isEqualTo(16 * MIB);
            assertThat(first.bitmapNames()).containsExactly("chk1");
            DiskInventory second = inventory.disk("vdb").orElseThrow();
            assertThat(second.formatNodeName()).isEqualTo("libvirt-2-format");
            assertThat(second.virtualSize()).isEqualTo(32 * MIB);
            assertThat(second.bitmapNames()).containsExactlyInAnyOrder("chk1", "chk2");
            assertThat(second.bitmap("chk1").orElseThrow().count()).isEqualTo(MIB);
            DirtyBitmap disabled = second.bitmap("chk2").orElseThrow();
            assertThat(disabled.recording()).isFalse();
            assertThat(disabled.count()).as("a disabled bitmap records nothing").isZero();
        }
    }

    @Test
    void seesThroughTheCopyBeforeWriteFilterOfARunningPullBackup(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = twoDisks(tempDir, "fleece");
                QmpClient client = connect(qemu)) {
            QmpCommands commands = new QmpCommands(client);
            QemuDisk vdb = qemu.disk("vdb");
            Path scratch = qemu.file("scratch.qcow2");
            QemuImg.createQcow2(scratch, vdb.sizeBytes(), qemu.logFile());
            client.execute("blockdev-add", QmpClient.arguments().put("driver", "file")
                    .put("filename", scratch.toString()).put("node-name", "scratch-file")).await().atMost(WAIT);
            client.execute("blockdev-add", QmpClient.arguments().put("driver", "qcow2").put("file", "scratch-file")
                    .put("node-name", "scratch").put("backing", vdb.formatNodeName())).await().atMost(WAIT);
            commands.transaction(List.of(
                    TransactionAction.addBitmap(vdb.formatNodeName(), "chk1", true, false),
                    TransactionAction.blockdevBackup("backup-vdb", vdb.formatNodeName(), "scratch", "none")))
                    .await().atMost(WAIT);

            // sync=none inserts QEMU's own copy-before-write filter between the device and the disk.
            String inserted = commands.queryBlock().await().atMost(WAIT).stream()
                    .filter(device -> device.deviceId().orElse("").equals("vdb"))
                    .map(BlockDevice::insertedNodeName).findFirst().orElseThrow().orElseThrow();
            assertThat(inserted).startsWith("#block");

            DiskInventory disk = new InventoryReader(commands).read().await().atMost(WAIT).disk("vdb").orElseThrow();
            assertThat(disk.formatNodeName()).isEqualTo(vdb.formatNodeName());
            assertThat(disk.bitmapNames()).as("the job's anonymous bitmaps are left out").containsExactly("chk1");

            cancelAndDismiss(client, commands, "backup-vdb");
            commands.blockdevDel("scratch").await().atMost(WAIT);
            commands.blockdevDel("scratch-file").await().atMost(WAIT);
            assertThat(new InventoryReader(commands).read().await().atMost(WAIT).disk("vdb").orElseThrow()
                    .formatNodeName()).isEqualTo(vdb.formatNodeName());
        }
    }

    private static void cancelAndDismiss(QmpClient client, QmpCommands commands, String jobId) {
        CompletableFuture<QmpEvent> concluded = client.events()
                .filter(event -> event.name().equals("JOB_STATUS_CHANGE") && jobId.equals(event.dataText("id"))
                        && "concluded".equals(event.dataText("status")))
                .toUni().subscribeAsCompletionStage();
        client.execute("job-cancel", QmpClient.arguments().put("id", jobId)).await().atMost(WAIT);
        await().atMost(WAIT).until(concluded::isDone);
        assertThat(commands.queryJobs().await().atMost(WAIT).get(0).error()).contains("Operation canceled");
        commands.jobDismiss(jobId).await().atMost(WAIT);
    }

    private static GuestlessQemu twoDisks(Path tempDir, String domain) {
        return GuestlessQemu.builder(tempDir).domain(domain).disk("vda", 16 * MIB).disk("vdb", 32 * MIB).start();
    }

    private static QmpClient connect(GuestlessQemu qemu) {
        return QmpClient.connect(qemu.qmpSocket(), qemu.domain()).await().atMost(WAIT);
    }
}
