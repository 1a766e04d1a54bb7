package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.MIB;
import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QemuImg;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teardown events of a pull (fleecing) backup reach subscribers of {@link QmpClient#events()}:
 * BLOCK_EXPORT_DELETED for the NBD export, then the cancelled sync=none job's states and BLOCK_JOB_CANCELLED.
 */
class PullExportEventsTest {

    private static final String JOB = "backup-vda";
    private static final String EXPORT = "backup-vda-export";

    @Test
    void exportDeletionAndJobCancellationAreDelivered(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("pull").disk("vda", 16 * MIB).start();
                QmpClient client = QmpTestSupport.connect(qemu)) {
            QmpCommands commands = new QmpCommands(client);
            QemuDisk vda = qemu.disk("vda");
            RecordingListener events = new RecordingListener();
            client.addEventListener(events);
            startFleecing(client, commands, vda, qemu.file("scratch.qcow2"), qemu);
            client.execute("nbd-server-start", QmpClient.arguments().set("addr", QmpClient.arguments()
                    .put("type", "unix").set("data", QmpClient.arguments()
                            .put("path", qemu.file("nbd.sock").toString())))).await().atMost(WAIT);
            client.execute("block-export-add", QmpClient.arguments().put("type", "nbd").put("id", EXPORT)
                    .put("node-name", "scratch").put("name", "vda").put("writable", false)).await().atMost(WAIT);

            CompletableFuture<QmpEvent> exportDeleted = client.events()
                    .filter(event -> event.name().equals("BLOCK_EXPORT_DELETED"))
                    .toUni().subscribeAsCompletionStage();
            client.execute("block-export-del", QmpClient.arguments().put("id", EXPORT).put("mode", "safe"))
                    .await().atMost(WAIT);
            assertThat(exportDeleted.get(20, TimeUnit.SECONDS).dataText("id")).isEqualTo(EXPORT);

            // A sync=none job never finishes by itself; cancelling it is the normal end of a pull backup.
            client.execute("job-cancel", QmpClient.arguments().put("id", JOB)).await().atMost(WAIT);
            await().atMost(WAIT).until(() -> events.jobStatuses(JOB).contains("concluded"));
            assertThat(events.jobStatuses(JOB)).endsWith("aborting", "concluded");
            await().atMost(WAIT).until(() -> !events.named("BLOCK_JOB_CANCELLED").isEmpty());
            assertThat(events.named("BLOCK_JOB_CANCELLED").get(0).dataText("device")).isEqualTo(JOB);
            assertThat(commands.queryJobs().await().atMost(WAIT).get(0).error()).contains("Operation canceled");

            commands.jobDismiss(JOB).await().atMost(WAIT);
            commands.blockdevDel("scratch").await().atMost(WAIT);
            commands.blockdevDel("scratch-file").await().atMost(WAIT);
            client.execute("nbd-server-stop").await().atMost(WAIT);
        }
    }

    private static void startFleecing(QmpClient client, QmpCommands commands, QemuDisk vda, Path scratch,
            GuestlessQemu qemu) {
        QemuImg.createQcow2(scratch, vda.sizeBytes(), qemu.logFile());
        client.execute("blockdev-add", QmpClient.arguments().put("driver", "file")
                .put("filename", scratch.toString()).put("node-name", "scratch-file")).await().atMost(WAIT);
        // The scratch's backing is the live disk node, so reads of unchanged clusters fall through to it.
        client.execute("blockdev-add", QmpClient.arguments().put("driver", "qcow2").put("file", "scratch-file")
                .put("node-name", "scratch").put("backing", vda.formatNodeName())).await().atMost(WAIT);
        commands.transaction(List.of(TransactionAction.blockdevBackup(JOB, vda.formatNodeName(), "scratch", "none")))
                .await().atMost(WAIT);
    }
}
