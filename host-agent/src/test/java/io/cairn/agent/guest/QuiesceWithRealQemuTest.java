package io.cairn.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.agent.backup.AgentRig;
import io.cairn.agent.backup.TestAgentConfig;
import io.cairn.agent.backup.TestAgentConfig.TestGuestAgent;
import io.cairn.agent.qmp.BlockNode;
import io.cairn.agent.qmp.DirtyBitmap;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.QmpCommands;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.StandInGuestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint QUIESCE through AgentOperations on a real two-disk QEMU, with a test-side stand-in for the guest's
 * qemu-ga at {@code <domain>.qga} (no guest OS runs): the freeze comes before the bitmaps' transaction and the thaw
 * after it, also when the checkpoint fails or the freeze outlasts its maximum; no channel is libvirt's 74, a channel
 * QEMU really serves with nobody in the guest is 86.
 */
class QuiesceWithRealQemuTest {

    private static final Logger LOG = Logger.getLogger(QuiesceWithRealQemuTest.class);
    private static final long MIB = 1024 * 1024;
    private static final List<DiskBitmap> CHK1 = List.of(new DiskBitmap("vda", "chk1"), new DiskBitmap("vdb", "chk1"));

    private static GuestlessQemu twoDisks(Path tempDir, GuestlessQemu.Builder builder) {
        return builder.domain("quiet").disk("vda", 16 * MIB).disk("vdb", 16 * MIB).start();
    }

    private static AgentRig rig(GuestlessQemu qemu, TestGuestAgent limits) {
        return new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()).withGuestAgent(limits));
    }

    private static List<String> bitmaps(QmpCommands probe) {
        return probe.queryNamedBlockNodes().await().atMost(AgentRig.WAIT).stream()
                .flatMap(node -> node.dirtyBitmaps().stream()).map(DirtyBitmap::name).flatMap(Optional::stream)
                .sorted().toList();
    }

    private static List<String> bitmaps(AgentRig rig) {
        return rig.connection().inventory().await().atMost(AgentRig.WAIT).disks().stream()
                .flatMap(disk -> disk.bitmapNames().stream()).sorted().toList();
    }

    @Test
    void freezesBeforeTheBitmapTransactionAndThawsAfterIt(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = twoDisks(tempDir, GuestlessQemu.builder(tempDir));
                QmpClient probeClient = QmpClient.connect(qemu.probeSocket(), "probe").await().atMost(AgentRig.WAIT);
                StandInGuestAgent guest = new StandInGuestAgent(qemu.workDir().resolve("quiet.qga"))) {
            QmpCommands probe = new QmpCommands(probeClient);
            List<String> atFreeze = new CopyOnWriteArrayList<>();
            List<String> atThaw = new CopyOnWriteArrayList<>();
            guest.onFreeze(() -> atFreeze.addAll(bitmaps(probe))).onThaw(() -> atThaw.addAll(bitmaps(probe)));
            AgentRig rig = rig(qemu, TestGuestAgent.DEFAULTS);

            AgentResult result = rig.run(new AddBitmapsRequest("q1", rig.config.hostId(), "quiet", CHK1, true));

            assertThat(result.success()).as("%s", result.error()).isTrue();
            assertThat(result.frozenFilesystems()).as("what the guest agent froze").isEqualTo(3);
            assertThat(guest.commands()).containsExactly("guest-sync-delimited", "guest-fsfreeze-freeze",
                    "guest-fsfreeze-thaw");
            assertThat(atFreeze).as("no bitmap yet when the guest froze").isEmpty();
            assertThat(atThaw).as("both bitmaps made before the thaw").containsExactly("chk1", "chk1");
            assertThat(guest.frozen()).isFalse();
            LOG.infof("freeze to thaw, as the stand-in received them: %d ms", guest.freezeToThawNanos() / 1_000_000);

            // Without quiesce the guest agent is not asked anything.
            assertThat(rig.run(new AddBitmapsRequest("q2", rig.config.hostId(), "quiet",
                    List.of(new DiskBitmap("vda", "chk2")))).frozenFilesystems()).isNull();
            assertThat(guest.commands()).hasSize(3);
        }
    }

    @Test
    void aCheckpointThatFailsIsThawedAndLeavesNoBitmap(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = twoDisks(tempDir, GuestlessQemu.builder(tempDir));
                StandInGuestAgent guest = new StandInGuestAgent(qemu.workDir().resolve("quiet.qga"))) {
            AgentRig rig = rig(qemu, TestGuestAgent.DEFAULTS);
            assertThat(rig.run(new AddBitmapsRequest("q0", rig.config.hostId(), "quiet",
                    List.of(new DiskBitmap("vdb", "chk1")))).success()).isTrue();

            // vdb has chk1 already: the transaction fails as a whole while the guest is frozen.
            AgentResult failed = rig.run(new AddBitmapsRequest("q1", rig.config.hostId(), "quiet", CHK1, true));

            assertThat(failed.success()).isFalse();
            assertThat(failed.error().message())
                    .isEqualTo("unable to execute QEMU command 'transaction': Bitmap already exists: chk1");
            assertThat(failed.frozenFilesystems()).isNull();
            assertThat(guest.commands()).containsExactly("guest-sync-delimited", "guest-fsfreeze-freeze",
                    "guest-fsfreeze-thaw");
            assertThat(guest.frozen()).isFalse();
            assertThat(bitmaps(rig)).containsExactly("chk1");

            AgentResult noDisk = rig.run(new AddBitmapsRequest("q2", rig.config.hostId(), "quiet",
                    List.of(new DiskBitmap("vdz", "chk2")), true));
            assertThat(noDisk.error().message()).isEqualTo("no disk named 'vdz'");
            assertThat(guest.commands()).as("a disk the domain lacks is refused before any freeze").hasSize(3);
        }
    }

    @Test
    void aFreezeThatOutlastsItsMaximumIsThawedOnTimeAndTheLateCheckpointTakenBack(@TempDir Path tempDir)
            throws Exception {
        try (GuestlessQemu qemu = twoDisks(tempDir, GuestlessQemu.builder(tempDir));
                StandInGuestAgent guest = new StandInGuestAgent(qemu.workDir().resolve("quiet.qga"))) {
            AgentRig rig = rig(qemu, new TestGuestAgent(Duration.ofSeconds(2), Duration.ofMillis(400),
                    Duration.ofSeconds(2)));
            rig.connection();
            // QEMU stops answering while the guest is frozen, so the transaction cannot end within the maximum
            // freeze; it goes on once the thaw arrives and must then be taken back.
            guest.onFreeze(qemu::sigstop).onThaw(qemu::sigcont);

            AgentResult late = rig.run(new AddBitmapsRequest("q1", rig.config.hostId(), "quiet", CHK1, true));

            assertThat(late.success()).isFalse();
            assertThat(late.error().code()).isEqualTo("VIR_ERR_OPERATION_TIMEOUT");
            assertThat(late.error().message()).contains("maximum freeze of 400 ms").contains("not kept");
            assertThat(guest.commands()).containsExactly("guest-sync-delimited", "guest-fsfreeze-freeze",
                    "guest-fsfreeze-thaw");
            long frozenMillis = guest.freezeToThawNanos() / 1_000_000;
            LOG.infof("freeze to watchdog thaw: %d ms (maximum 400 ms)", frozenMillis);
            assertThat(frozenMillis).isBetween(380L, 1500L);
            assertThat(bitmaps(rig)).as("the bitmaps QEMU made after the thaw were removed").isEmpty();
        }
    }

    @Test
    void aFreezeTheGuestNeverAnswersIsThawedAtTheMaximum(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = twoDisks(tempDir, GuestlessQemu.builder(tempDir));
                StandInGuestAgent guest = new StandInGuestAgent(qemu.workDir().resolve("quiet.qga"))) {
            guest.neverAnswerFreeze();
            AgentRig rig = rig(qemu, new TestGuestAgent(Duration.ofSeconds(2), Duration.ofMillis(300),
                    Duration.ofSeconds(2)));

            AgentResult hung = rig.run(new AddBitmapsRequest("q1", rig.config.hostId(), "quiet", CHK1, true));

            assertThat(hung.error().code()).isEqualTo("VIR_ERR_AGENT_UNRESPONSIVE");
            assertThat(hung.error().message()).isEqualTo("Guest agent is not responding: Guest agent not available "
                    + "for now (no answer to 'guest-fsfreeze-freeze' within 300 ms)");
            // The thaw follows a fresh sync, so the late freeze answer could never be taken for the thaw's.
            assertThat(guest.commands()).containsExactly("guest-sync-delimited", "guest-fsfreeze-freeze",
                    "guest-sync-delimited", "guest-fsfreeze-thaw");
            assertThat(guest.freezeToThawNanos() / 1_000_000).isBetween(280L, 1500L);
            assertThat(guest.frozen()).isFalse();
            assertThat(bitmaps(rig)).as("the transaction never ran").isEmpty();
        }
    }

    @Test
    void aDomainWithoutAGuestAgentChannelIsRefusedAsLibvirtDoes(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = twoDisks(tempDir, GuestlessQemu.builder(tempDir))) {
            AgentRig rig = rig(qemu, TestGuestAgent.DEFAULTS);

            AgentResult refused = rig.run(new AddBitmapsRequest("q1", rig.config.hostId(), "quiet", CHK1, true));

            assertThat(refused.error().code()).isEqualTo("VIR_ERR_ARGUMENT_UNSUPPORTED");
            assertThat(refused.error().number()).isEqualTo(74);
            assertThat(refused.error().message()).isEqualTo("argument unsupported: QEMU guest agent is not configured");
            assertThat(bitmaps(rig)).isEmpty();
        }
    }

    @Test
    void aChannelQemuServesWithNobodyInTheGuestIsNotConnectedWithinTheSyncTimeout(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = twoDisks(tempDir, GuestlessQemu.builder(tempDir).guestAgentChannel())) {
            AgentRig rig = rig(qemu, new TestGuestAgent(Duration.ofMillis(500), Duration.ofSeconds(10),
                    Duration.ofSeconds(2)));
            JsonNode chardevs = rig.connection().client().execute("query-chardev").await().atMost(AgentRig.WAIT);
            assertThat(chardevs.findValuesAsText("filename"))
                    .as("QEMU itself listens at the path the agent uses").contains("disconnected:unix:"
                            + qemu.guestAgentSocket() + ",server=on");
            long start = System.nanoTime();

            AgentResult silent = rig.run(new AddBitmapsRequest("q1", rig.config.hostId(), "quiet", CHK1, true));

            long millis = (System.nanoTime() - start) / 1_000_000;
            LOG.infof("86 after %d ms (sync timeout 500 ms)", millis);
            assertThat(silent.error().code()).isEqualTo("VIR_ERR_AGENT_UNRESPONSIVE");
            assertThat(silent.error().number()).isEqualTo(86);
            assertThat(silent.error().message())
                    .isEqualTo("Guest agent is not responding: QEMU guest agent is not connected");
            assertThat(millis).isBetween(450L, 2000L);
            assertThat(bitmaps(rig)).isEmpty();
        }
    }
}
