package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull backup whose exports fail after QEMU's transaction already started the jobs: the start fails
 * and is rolled back completely (jobs cancelled, NBD server stopped, scratch nodes and files and the new
 * checkpoint's bitmaps removed), ending with one FAILED report.
 */
class PullExportFailureTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aFailedExportRollsBackTheStartedJobs(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("expfail").disk("vda", 16 * MIB)
                .disk("vdb", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path scratchA = qemu.store("scratch-a.qcow2");
            Path scratchB = qemu.store("scratch-b.qcow2");
            // Both disks ask for the same export name, which QEMU refuses for the second export.
            List<BackupDisk> disks = List.of(
                    new BackupDisk("vda", null, DiskBackupMode.FULL, null, "same", null, Requests.store(scratchA), null),
                    new BackupDisk("vdb", null, DiskBackupMode.FULL, null, "same", null, Requests.store(scratchB), null));
            AgentResult result = rig.run(Requests.pull(rig, "exp", new BackupServer("unix", null, null,
                    qemu.store("nbd.sock").toString(), null, null), disks, Requests.checkpoint("chk1", "vda", "vdb")));

            assertThat(result.success()).isFalse();
            assertThat(result.error().code()).isEqualTo("VIR_ERR_INTERNAL_ERROR");
            assertThat(result.error().message()).startsWith("unable to execute QEMU command 'block-export-add'");
            BackupJobReport end = rig.sink.awaitTerminal("exp", AgentRig.WAIT);
            assertThat(end.state()).isEqualTo(BackupJobState.FAILED);
            assertThat(end.error()).isEqualTo(result.error().message());
            PushBackupTest.assertReportSequence(rig.sink.of("exp"));
            assertThat(scratchA).doesNotExist();
            assertThat(scratchB).doesNotExist();
            assertThat(rig.connection().inventory().await().atMost(AgentRig.WAIT).disks())
                    .allSatisfy(disk -> assertThat(disk.bitmaps()).isEmpty());
            assertThat(rig.backups.active()).isEmpty();
            rig.assertQemuClean();
        }
    }
}
