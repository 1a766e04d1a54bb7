package io.cairn.agent.backup;

import static io.cairn.agent.backup.Requests.checkpoint;
import static io.cairn.agent.backup.Requests.full;
import static io.cairn.agent.backup.Requests.incremental;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.inventory.DiskInventory;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.agent.WrittenTarget;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push backups through AgentOperations against a real QEMU: a full backup of two disks with a new
 * checkpoint in the same transaction, then an incremental one whose target, rebased onto the full one,
 * equals each disk as it was when the second checkpoint was cut.
 */
class PushBackupTest {

    private static final long MIB = 1024 * 1024;
    private static final List<PatternWrite> VDA_INITIAL = List.of(new PatternWrite(0x11, 0, 4 * MIB),
            new PatternWrite(0x22, 32 * MIB, 2 * MIB));
    private static final List<PatternWrite> VDB_INITIAL = List.of(new PatternWrite(0x33, MIB, MIB));
    private static final List<PatternWrite> VDA_WRITES = List.of(new PatternWrite(0x44, 0, 64 * 1024),
            new PatternWrite(0x55, 10 * MIB + 512, 4096), new PatternWrite(0x66, 63 * MIB, MIB));
    private static final List<PatternWrite> VDB_WRITES = List.of(new PatternWrite(0x77, 0, MIB));

    @Test
    void fullThenIncrementalChainEqualsTheDisksAtTheCheckpoint(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("push")
                .disk("vda", 64 * MIB, VDA_INITIAL.toArray(PatternWrite[]::new))
                .disk("vdb", 32 * MIB, VDB_INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path fullA = qemu.store("full-vda.qcow2");
            Path fullB = qemu.store("full-vdb.qcow2");

            AgentResult started = rig.run(Requests.push(rig, "job-full", List.of(full("vda", fullA), full("vdb", fullB)),
                    checkpoint("chk1", "vda", "vdb"), false));
            assertThat(started.success()).as("%s", started.error()).isTrue();
            BackupJobReport end = rig.sink.awaitTerminal("job-full", AgentRig.WAIT);
            assertThat(end.state()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(end.disks()).extracting(r -> r.state()).containsOnly(DiskJobState.COMPLETE);
            assertThat(end.statistics().diskProcessed()).isEqualTo(96 * MIB);
            assertReportSequence(rig.sink.of("job-full"));
            assertWrittenAsSha256sumReads(end, fullA, fullB);
            assertThat(rig.sink.of("job-full")).filteredOn(report -> !report.state().isTerminal())
                    .flatExtracting(BackupJobReport::disks).extracting(DiskJobReport::written)
                    .as("only the completed job's last report carries what was written").containsOnlyNulls();
            assertThat(rig.identical(fullA, rig.expectedImage("want-a1.qcow2", 64 * MIB, VDA_INITIAL))).isTrue();
            assertThat(rig.identical(fullB, rig.expectedImage("want-b1.qcow2", 32 * MIB, VDB_INITIAL))).isTrue();

            VDA_WRITES.forEach(write -> rig.guestWrite("vda", write));
            VDB_WRITES.forEach(write -> rig.guestWrite("vdb", write));
            Path incA = qemu.store("inc-vda.qcow2");
            Path incB = qemu.store("inc-vdb.qcow2");
            AgentResult incremental = rig.run(Requests.push(rig, "job-inc",
                    List.of(incremental("vda", "chk1", incA), incremental("vdb", "chk1", incB)),
                    checkpoint("chk2", "vda", "vdb"), false));
            assertThat(incremental.success()).as("%s", incremental.error()).isTrue();
            BackupJobReport incEnd = rig.sink.awaitTerminal("job-inc", AgentRig.WAIT);
            assertThat(incEnd.state()).isEqualTo(BackupJobState.COMPLETED);
            // Before the rebase below, which rewrites the header: the checksum covers the file as the job left it.
            assertWrittenAsSha256sumReads(incEnd, incA, incB);

            rig.rebaseUnsafe(incA, fullA);
            rig.rebaseUnsafe(incB, fullB);
            assertThat(rig.identical(incA, rig.expectedImage("want-a2.qcow2", 64 * MIB, concat(VDA_INITIAL, VDA_WRITES))))
                    .isTrue();
            assertThat(rig.identical(incB, rig.expectedImage("want-b2.qcow2", 32 * MIB, concat(VDB_INITIAL, VDB_WRITES))))
                    .isTrue();

            DiskInventory vda = rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow();
            assertThat(vda.bitmapNames()).containsExactlyInAnyOrder("chk1", "chk2");
            // sync=incremental ran on a temporary copy, so the checkpoint bitmap still holds the writes.
            assertThat(vda.bitmap("chk1").orElseThrow().count()).isEqualTo(64 * 1024 + 64 * 1024 + MIB);
            assertThat(vda.bitmap("chk2").orElseThrow().count()).isZero();
            rig.assertQemuClean();
        }
    }

    @Test
    void incrementalOntoAReusedTargetBackedByTheFullBackup(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("reuse")
                .disk("vda", 64 * MIB, VDA_INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path fullA = qemu.store("full.qcow2");
            assertThat(rig.run(Requests.push(rig, "j1", List.of(full("vda", fullA)), checkpoint("chk1", "vda"), false))
                    .success()).isTrue();
            rig.sink.awaitTerminal("j1", AgentRig.WAIT);
            VDA_WRITES.forEach(write -> rig.guestWrite("vda", write));
            Path inc = qemu.store("inc.qcow2");
            Tools.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", fullA.toString(), "-F", "qcow2", inc.toString());

            AgentResult result = rig.run(Requests.push(rig, "j2", List.of(incremental("vda", "chk1", inc)), List.of(), true));
            assertThat(result.success()).as("%s", result.error()).isTrue();
            assertThat(rig.sink.awaitTerminal("j2", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(rig.identical(inc, rig.expectedImage("want.qcow2", 64 * MIB, concat(VDA_INITIAL, VDA_WRITES))))
                    .as("the reused target keeps its own backing (the full backup)").isTrue();
            assertThat(Tools.run("qemu-img", "info", "-U", "--output=json", inc.toString())).contains(fullA.toString());
            rig.assertQemuClean();
        }
    }

    /** Each disk's reported size and SHA-256 are those of its target file, as sha256sum reads it. */
    static void assertWrittenAsSha256sumReads(BackupJobReport end, Path... targets) {
        assertThat(end.disks()).hasSize(targets.length);
        for (int i = 0; i < targets.length; i++) {
            WrittenTarget written = end.disks().get(i).written();
            assertThat(written).as("disk %s", end.disks().get(i).disk()).isNotNull();
            assertThat(written.path()).isEqualTo(targets[i].toString());
            assertThat(written.sha256()).isEqualTo(Tools.run("sha256sum", targets[i].toString()).split(" ")[0]);
            try {
                assertThat(written.size()).isEqualTo(Files.size(targets[i])).isPositive();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static void assertReportSequence(List<BackupJobReport> reports) {
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(0).state()).isEqualTo(BackupJobState.STARTING);
        assertThat(reports).extracting(BackupJobReport::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(reports).filteredOn(report -> report.state().isTerminal()).hasSize(1);
        assertThat(reports.get(reports.size() - 1).state().isTerminal()).isTrue();
    }

    static List<PatternWrite> concat(List<PatternWrite> first, List<PatternWrite> second) {
        List<PatternWrite> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    static boolean exists(Path path) {
        return Files.exists(path);
    }
}
