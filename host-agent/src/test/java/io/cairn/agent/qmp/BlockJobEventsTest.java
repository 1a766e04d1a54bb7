package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.MIB;
import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QemuImg;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint plus full push backup in one transaction: job events arrive through the listener,
 * the job is dismissed, and the backup holds exactly the disk's data.
 */
class BlockJobEventsTest {

    private static final long DISK_SIZE = 32 * MIB;
    private static final String JOB = "backup-vda";

    @Test
    void fullBackupEmitsJobEventsAndCopiesTheDisk(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("backup")
                        .disk("vda", DISK_SIZE, new PatternWrite(0x11, 0, MIB), new PatternWrite(0x22, 5 * MIB, 3 * MIB),
                                new PatternWrite(0x33, DISK_SIZE - 64 * 1024, 64 * 1024))
                        .start();
                QmpClient client = QmpTestSupport.connect(qemu)) {
            QmpCommands commands = new QmpCommands(client);
            QemuDisk vda = qemu.disk("vda");
            RecordingListener events = new RecordingListener();
            client.addEventListener(events);
            Path target = qemu.file("full.qcow2");
            QemuImg.createQcow2(target, DISK_SIZE, qemu.logFile());
            openTarget(client, target);

            commands.transaction(List.of(
                    TransactionAction.addBitmap(vda.formatNodeName(), "chk1", true, false),
                    TransactionAction.blockdevBackup(JOB, vda.formatNodeName(), "tgt", "full"))).await().atMost(WAIT);

            await().atMost(WAIT).until(() -> events.jobStatuses(JOB).contains("concluded"));
            List<String> statuses = events.jobStatuses(JOB);
            assertThat(statuses).startsWith("created", "running").endsWith("waiting", "pending", "concluded");
            await().atMost(WAIT).until(() -> !events.named("BLOCK_JOB_COMPLETED").isEmpty());
            QmpEvent completed = events.named("BLOCK_JOB_COMPLETED").get(0);
            assertThat(completed.dataText("device")).isEqualTo(JOB);
            assertThat(completed.data().path("len").asLong()).isEqualTo(DISK_SIZE);
            assertThat(completed.data().has("error")).isFalse();

            // auto-dismiss=false keeps the concluded job, and its outcome, until job-dismiss.
            QmpJob job = commands.queryJobs().await().atMost(WAIT).get(0);
            assertThat(job.id()).isEqualTo(JOB);
            assertThat(job.isConcluded()).isTrue();
            assertThat(job.error()).isEmpty();
            commands.jobDismiss(JOB).await().atMost(WAIT);
            await().atMost(WAIT).until(() -> events.jobStatuses(JOB).contains("null"));
            assertThat(commands.queryJobs().await().atMost(WAIT)).isEmpty();

            // blockdev-del closes the qcow2 (with a flush), so qemu-img can read the finished backup.
            commands.blockdevDel("tgt").await().atMost(WAIT);
            commands.blockdevDel("tgt-file").await().atMost(WAIT);
            assertThat(QemuImg.identical(target, vda.image(), qemu.logFile())).as("backup == disk").isTrue();

            DirtyBitmap checkpoint = bitmap(commands, vda.formatNodeName(), "chk1");
            assertThat(checkpoint.persistent()).isTrue();
            assertThat(checkpoint.recording()).isTrue();
            assertThat(checkpoint.count()).isZero();

            // The comparison is not vacuous: a guest write after the backup makes the images differ.
            commands.hmp("qemu-io -d " + vda.qemuIoBackend() + " \"write -P 0x44 0 64k\"").await().atMost(WAIT);
            assertThat(QemuImg.identical(target, vda.image(), qemu.logFile())).as("backup != changed disk").isFalse();
        }
    }

    private static void openTarget(QmpClient client, Path target) {
        client.execute("blockdev-add", QmpClient.arguments().put("driver", "file")
                .put("filename", target.toString()).put("node-name", "tgt-file")).await().atMost(WAIT);
        client.execute("blockdev-add", QmpClient.arguments().put("driver", "qcow2")
                .put("file", "tgt-file").put("node-name", "tgt")).await().atMost(WAIT);
    }

    static DirtyBitmap bitmap(QmpCommands commands, String nodeName, String bitmapName) {
        return commands.queryNamedBlockNodes().await().atMost(WAIT).stream()
                .filter(node -> node.nodeName().equals(nodeName))
                .findFirst().orElseThrow()
                .bitmap(bitmapName).orElseThrow();
    }
}
