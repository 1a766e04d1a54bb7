package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.RestoreMode;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A register (backup.register's run on the agent) with real qemu-img: a pull client's qcow2 and raw outputs digested
 * with the size and SHA-256 of their bytes; refused before anything is read: a file declared of another format, one
 * outside the domain's directory, a symbolic link.
 */
class RegisterOutputsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void outputsAreDigestedAndAnythingElseIsRefusedBeforeItIsRead(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("register")
                .disk("vda", 8 * MIB, new PatternWrite(0x5a, 0, MIB)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Files.createDirectories(qemu.storeDirectory());
            Path qcow2 = rig.expectedImage("unused.qcow2", 8 * MIB, List.of(new PatternWrite(0x11, MIB, MIB)));
            Path full = qemu.store("vda.p1.qcow2");
            Files.copy(qcow2, full);
            Path raw = qemu.store("vdb.p1.raw");
            Files.write(raw, new byte[3 * 65536]);

            AgentResult accepted = rig.run(register(rig, "g-1", new DiskRestorePlan("vda", List.of(),
                    full.toString(), "qcow2"), new DiskRestorePlan("vdb", List.of(), raw.toString(), "raw")));
            assertThat(accepted.success()).as("%s", accepted.error()).isTrue();
            RestoreJobReport done = rig.sink.awaitRestoreEnd("g-1", AgentRig.WAIT);
            assertThat(done.state()).isEqualTo(RestoreJobState.COMPLETED);
            assertThat(done.bytesDone()).isEqualTo(done.bytesTotal()).isEqualTo(Files.size(full) + Files.size(raw));
            assertThat(done.disks()).extracting(RestoredDisk::name).containsExactly("vda", "vdb");
            for (RestoredDisk output : done.disks()) {
                assertThat(output.sha256()).isEqualTo(Tools.run("sha256sum", output.path()).split(" ")[0]);
                assertThat(output.size()).isEqualTo(Files.size(Path.of(output.path())));
            }

            AgentResult declaredRaw = rig.run(register(rig, "g-2", new DiskRestorePlan("vda", List.of(),
                    full.toString(), "raw")));
            assertThat(declaredRaw.success()).isFalse();
            assertThat(declaredRaw.error().code()).isEqualTo("VIR_ERR_INVALID_ARG");
            assertThat(declaredRaw.error().message()).contains("is a qcow2 image, not raw");

            Path outside = qemu.file("outside.qcow2");
            Files.copy(qcow2, outside);
            AgentResult escaped = rig.run(register(rig, "g-3", new DiskRestorePlan("vda", List.of(),
                    outside.toString(), "qcow2")));
            assertThat(escaped.success()).isFalse();
            assertThat(escaped.error().code()).isEqualTo("VIR_ERR_OPERATION_DENIED");

            Path link = qemu.store("link.qcow2");
            Files.createSymbolicLink(link, full);
            AgentResult linked = rig.run(register(rig, "g-4", new DiskRestorePlan("vda", List.of(),
                    link.toString(), "qcow2")));
            assertThat(linked.success()).isFalse();
            assertThat(linked.error().code()).isEqualTo("VIR_ERR_OPERATION_DENIED");
            assertThat(linked.error().message()).contains("symbolic link");
            assertThat(rig.sink.restoreReportsOf("g-2")).isEmpty();
            assertThat(rig.sink.restoreReportsOf("g-3")).isEmpty();
            assertThat(rig.sink.restoreReportsOf("g-4")).isEmpty();
        }
    }

    private static StartRestoreRequest register(AgentRig rig, String id, DiskRestorePlan... outputs) {
        return new StartRestoreRequest(rig.nextRequestId(), rig.config.hostId(), rig.qemu.domain(), id,
                RestoreMode.REGISTER, List.of(outputs));
    }
}
