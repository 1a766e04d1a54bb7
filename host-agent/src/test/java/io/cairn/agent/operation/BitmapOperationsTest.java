package io.cairn.agent.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.AgentRig;
import io.cairn.agent.backup.TestAgentConfig;
import io.cairn.agent.inventory.VmInventory;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BitmapCheck;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.MeasureBitmapsRequest;
import io.cairn.events.agent.RemoveBitmapsRequest;
import io.cairn.events.agent.ValidateBitmapsRequest;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint bitmap operations through AgentOperations on a real two-disk QEMU, including libvirt's error forms. */
class BitmapOperationsTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void addValidateMeasureRemoveAndTheirErrors(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("bitmaps").disk("vda", 16 * MIB)
                .disk("vdb", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            String host = rig.config.hostId();
            List<DiskBitmap> chk1 = List.of(new DiskBitmap("vda", "chk1"), new DiskBitmap("vdb", "chk1"));

            assertThat(rig.run(new AddBitmapsRequest("r1", host, "bitmaps", chk1)).success()).isTrue();
            VmInventory vm = rig.connection().inventory().await().atMost(AgentRig.WAIT);
            assertThat(vm.disk("vda").orElseThrow().bitmap("chk1").orElseThrow().persistent()).isTrue();
            assertThat(vm.disk("vdb").orElseThrow().bitmap("chk1").orElseThrow().recording()).isTrue();

            // vdb already has chk1: the whole transaction fails, so vda gets no chk2 either.
            AgentResult duplicate = rig.run(new AddBitmapsRequest("r2", host, "bitmaps",
                    List.of(new DiskBitmap("vda", "chk2"), new DiskBitmap("vdb", "chk1"))));
            assertThat(duplicate.success()).isFalse();
            assertThat(duplicate.error().code()).isEqualTo("VIR_ERR_INTERNAL_ERROR");
            assertThat(duplicate.error().message())
                    .isEqualTo("unable to execute QEMU command 'transaction': Bitmap already exists: chk1");
            assertThat(inventory(rig).disk("vda").orElseThrow().bitmapNames()).containsExactly("chk1");

            AgentResult noDisk = rig.run(new AddBitmapsRequest("r3", host, "bitmaps", List.of(new DiskBitmap("vdz", "c"))));
            assertThat(noDisk.error().code()).isEqualTo("VIR_ERR_CONFIG_UNSUPPORTED");
            assertThat(noDisk.error().message()).isEqualTo("no disk named 'vdz'");

            rig.guestWrite("vda", new PatternWrite(0x01, 0, MIB));
            rig.guestWrite("vda", new PatternWrite(0x02, 8 * MIB, 4096));
            AgentResult measured = rig.run(new MeasureBitmapsRequest("r4", host, "bitmaps",
                    List.of(new DiskBitmap("vda", "chk1"), new DiskBitmap("vdb", "chk1"), new DiskBitmap("vda", "nope"))));
            assertThat(measured.bitmaps()).containsExactly(
                    new BitmapCheck("vda", "chk1", true, null, MIB + 65536),
                    new BitmapCheck("vdb", "chk1", true, null, 0L),
                    new BitmapCheck("vda", "nope", false, "missing", null));
            assertThat(inventory(rig).disk("vda").orElseThrow().bitmapNames())
                    .as("the temporary size bitmap is gone").containsExactly("chk1");

            AgentResult validated = rig.run(new ValidateBitmapsRequest("r5", host, "bitmaps",
                    List.of(new DiskBitmap("vda", "chk1"), new DiskBitmap("vdb", "gone"))));
            assertThat(validated.bitmaps()).containsExactly(new BitmapCheck("vda", "chk1", true, null, null),
                    new BitmapCheck("vdb", "gone", false, "missing", null));

            AgentResult missing = rig.run(new RemoveBitmapsRequest("r6", host, "bitmaps",
                    List.of(new DiskBitmap("vda", "chk1"), new DiskBitmap("vda", "nope")), false));
            assertThat(missing.success()).isFalse();
            assertThat(missing.error().message()).contains("'transaction'").contains("nope");
            assertThat(inventory(rig).disk("vda").orElseThrow().bitmapNames()).as("all or nothing").containsExactly("chk1");

            AgentResult removed = rig.run(new RemoveBitmapsRequest("r7", host, "bitmaps",
                    List.of(new DiskBitmap("vda", "chk1"), new DiskBitmap("vdb", "chk1"), new DiskBitmap("vda", "nope")), true));
            assertThat(removed.success()).as("%s", removed.error()).isTrue();
            assertThat(inventory(rig).disks()).allSatisfy(disk -> assertThat(disk.bitmaps()).isEmpty());
            assertThat(rig.run(new RemoveBitmapsRequest("r8", host, "bitmaps", chk1, true)).success())
                    .as("an undo can be repeated").isTrue();
        }
    }

    @Test
    void requestsForADomainOrHostThatIsNotHereAreNoDomain(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("here").disk("vda", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            AgentResult elsewhere = rig.run(new ValidateBitmapsRequest("r1", "host-1", "absent", List.of()));
            assertThat(elsewhere.error().code()).isEqualTo("VIR_ERR_NO_DOMAIN");
            assertThat(elsewhere.error().message()).isEqualTo("domain 'absent' is not running on host 'host-1'");
            AgentResult otherHost = rig.run(new ValidateBitmapsRequest("r2", "host-2", "here", List.of()));
            assertThat(otherHost.error().code()).isEqualTo("VIR_ERR_NO_DOMAIN");
            AgentResult traversal = rig.run(new ValidateBitmapsRequest("r3", "host-1", "../here", List.of()));
            assertThat(traversal.error().code()).isEqualTo("VIR_ERR_NO_DOMAIN");
        }
    }

    private static VmInventory inventory(AgentRig rig) {
        return rig.connection().inventory().await().atMost(AgentRig.WAIT);
    }
}
