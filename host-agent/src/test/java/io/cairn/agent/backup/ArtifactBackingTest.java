package io.cairn.agent.backup;

import static io.cairn.agent.backup.Requests.checkpoint;
import static io.cairn.agent.backup.Requests.full;
import static io.cairn.agent.backup.Requests.incremental;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.agent.WrittenTarget;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A completed push incremental, read alone as a user would ({@code qemu-img convert}), gives the disk at its
 * checkpoint or an error, never today's disk: the agent rewrites its backing from the live disk to the chain base
 * the service named, or to a path that cannot exist when it named none or one outside the domain's directory.
 */
class ArtifactBackingTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 64 * MIB;
    private static final List<PatternWrite> INITIAL = List.of(new PatternWrite(0x11, 0, 4 * MIB),
            new PatternWrite(0x22, 32 * MIB, 2 * MIB));
    private static final List<PatternWrite> BEFORE_INC = List.of(new PatternWrite(0x44, 0, 64 * 1024),
            new PatternWrite(0x55, 10 * MIB + 512, 4096));
    /** After the incremental: what a reader falling through to the live disk would see. */
    private static final List<PatternWrite> AFTER_INC = List.of(new PatternWrite(0x66, 20 * MIB, MIB),
            new PatternWrite(0x77, 33 * MIB, MIB));

    @Test
    void anIncrementalWithAChainBaseReadsAsTheDiskAtItsCheckpointWhileTheDiskMovesOn(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("backing")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path fullA = fullBackup(rig, qemu);
            BEFORE_INC.forEach(write -> rig.guestWrite("vda", write));
            Path inc = qemu.store("inc.qcow2");

            BackupJobReport end = incrementalBackup(rig, inc, Map.of("vda", fullA.toString()));
            AFTER_INC.forEach(write -> rig.guestWrite("vda", write));

            WrittenTarget written = end.disks().get(0).written();
            assertThat(written.backing()).isEqualTo(fullA.toString());
            PushBackupTest.assertWrittenAsSha256sumReads(end, inc);
            assertThat(Tools.run("qemu-img", "info", "-U", "--output=json", inc.toString()))
                    .contains("\"backing-filename\": \"" + fullA + "\"")
                    .doesNotContain(qemu.disk("vda").image().toString());
            Path raw = qemu.file("inc.raw");
            Tools.run("qemu-img", "convert", "-O", "raw", inc.toString(), raw.toString());
            Path atCheckpoint = rig.expectedImage("want-chk2.qcow2", SIZE, PushBackupTest.concat(INITIAL, BEFORE_INC));
            assertThat(Tools.identical(raw, "raw", atCheckpoint, "qcow2")).as("the disk at chk2").isTrue();
            Path today = rig.expectedImage("today.qcow2", SIZE,
                    PushBackupTest.concat(PushBackupTest.concat(INITIAL, BEFORE_INC), AFTER_INC));
            assertThat(Tools.identical(raw, "raw", today, "qcow2")).as("not today's disk").isFalse();
            rig.assertQemuClean();
        }
    }

    @Test
    void anIncrementalWithoutAUsableChainBaseCannotBeReadAlone(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("nobase")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path fullA = fullBackup(rig, qemu);
            BEFORE_INC.forEach(write -> rig.guestWrite("vda", write));
            Path outside = qemu.file("outside-the-domain-directory.qcow2");
            Files.copy(fullA, outside);
            Path unknown = qemu.store("inc-unknown.qcow2");
            Path refused = qemu.store("inc-refused.qcow2");

            BackupJobReport end = incrementalBackup(rig, unknown, Map.of());
            BackupJobReport refusedEnd = incrementalBackup(rig, refused, "chk2", "chk3", "job-refused",
                    Map.of("vda", outside.toString()));
            AFTER_INC.forEach(write -> rig.guestWrite("vda", write));

            for (var pair : List.of(Map.entry(end, unknown), Map.entry(refusedEnd, refused))) {
                Path inc = pair.getValue();
                assertThat(pair.getKey().disks().get(0).written().backing())
                        .isEqualTo(inc + ChainBases.UNKNOWN_SUFFIX);
                PushBackupTest.assertWrittenAsSha256sumReads(pair.getKey(), inc);
                Tools.Result convert = Tools.exec(List.of("qemu-img", "convert", "-O", "raw", inc.toString(),
                        qemu.file(inc.getFileName() + ".raw").toString()));
                assertThat(convert.exit()).as("%s", convert.output()).isNotZero();
                assertThat(convert.output()).contains(ChainBases.UNKNOWN_SUFFIX);
            }
            rig.assertQemuClean();
        }
    }

    private static Path fullBackup(AgentRig rig, GuestlessQemu qemu) {
        Path fullA = qemu.store("full.qcow2");
        assertThat(rig.run(Requests.push(rig, "job-full", List.of(full("vda", fullA)), checkpoint("chk1", "vda"),
                false)).success()).isTrue();
        BackupJobReport end = rig.sink.awaitTerminal("job-full", AgentRig.WAIT);
        assertThat(end.state()).isEqualTo(BackupJobState.COMPLETED);
        assertThat(end.disks().get(0).written().backing()).as("a full target is standalone").isNull();
        return fullA;
    }

    private static BackupJobReport incrementalBackup(AgentRig rig, Path inc, Map<String, String> chainBases) {
        return incrementalBackup(rig, inc, "chk1", "chk2", "job-inc", chainBases);
    }

    private static BackupJobReport incrementalBackup(AgentRig rig, Path inc, String from, String to, String jobId,
            Map<String, String> chainBases) {
        StartBackupRequest plain = Requests.push(rig, jobId, List.of(incremental("vda", from, inc)),
                checkpoint(to, "vda"), false);
        StartBackupRequest request = new StartBackupRequest(plain.requestId(), plain.hostId(), plain.domain(),
                plain.jobId(), plain.backup(), plain.checkpointBitmaps(), false, chainBases);
        assertThat(rig.run(request).success()).isTrue();
        BackupJobReport end = rig.sink.awaitTerminal(jobId, AgentRig.WAIT);
        assertThat(end.state()).isEqualTo(BackupJobState.COMPLETED);
        return end;
    }
}
