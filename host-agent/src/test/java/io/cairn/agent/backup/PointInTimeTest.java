package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.qmp.QmpClient;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push backup is the disk at the instant of its transaction: guest writes made while a throttled copy
 * runs are not in the backup (copy-before-write saves the old data first) and are in the new checkpoint.
 */
class PointInTimeTest {

    private static final long MIB = 1024 * 1024;
    private static final PatternWrite FILL = new PatternWrite(0x5a, 0, 48 * MIB);

    @Test
    void writesDuringAThrottledBackupLandInTheNextCheckpointNotInTheBackup(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("pit").disk("vda", 64 * MIB, FILL).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()).withJobSpeed(8 * MIB));
            Path target = qemu.store("full.qcow2");
            assertThat(rig.run(Requests.push(rig, "pit", List.of(Requests.full("vda", target)),
                    Requests.checkpoint("chk1", "vda"), false)).success()).isTrue();
            await().atMost(AgentRig.WAIT).until(() -> rig.sink.of("pit").stream().anyMatch(report ->
                    report.state() == BackupJobState.RUNNING && report.statistics().diskProcessed() > 0));

            List<PatternWrite> racing = List.of(new PatternWrite(0xe1, 0, 64 * 1024),
                    new PatternWrite(0xe2, 40 * MIB, MIB), new PatternWrite(0xe3, 46 * MIB, 2 * MIB));
            racing.forEach(write -> rig.guestWrite("vda", write));
            BackupJobReport beforeEnd = rig.sink.of("pit").get(rig.sink.of("pit").size() - 1);
            assertThat(beforeEnd.state()).as("the writes raced a running copy").isNotEqualTo(BackupJobState.COMPLETED);
            rig.connection().client().execute("block-job-set-speed", QmpClient.arguments()
                    .put("device", BackupNames.qemuJobId("vda", "pit")).put("speed", 0)).await().atMost(AgentRig.WAIT);

            assertThat(rig.sink.awaitTerminal("pit", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(rig.identical(target, rig.expectedImage("at-start.qcow2", 64 * MIB, List.of(FILL)))).isTrue();
            assertThat(rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow()
                    .bitmap("chk1").orElseThrow().count()).isEqualTo(64 * 1024 + MIB + 2 * MIB);
            rig.assertQemuClean();
        }
    }
}
