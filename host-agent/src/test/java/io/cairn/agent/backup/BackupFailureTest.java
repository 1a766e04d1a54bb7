package io.cairn.agent.backup;

import static io.cairn.agent.backup.Requests.checkpoint;
import static io.cairn.agent.backup.Requests.full;
import static io.cairn.agent.backup.Requests.incremental;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.inventory.DiskInventory;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.BitmapCheck;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.agent.ValidateBitmapsRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupServer;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups that go wrong: each ends with libvirt's error or aggregation and leaves QEMU and the disk clean. */
class BackupFailureTest {

    private static final long MIB = 1024 * 1024;
    private static final PatternWrite FILL = new PatternWrite(0x5a, 0, 48 * MIB);

    @Test
    void fullTargetFilesystemFailsTheDiskCancelsTheOtherAndKeepsTheCheckpoint(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("enospc").disk("vda", 64 * MIB, FILL)
                .disk("vdb", 64 * MIB, FILL).start()) {
            // Inside the domain's storage directory, writable by the agent's user only (tmpfs is 1777 by default).
            Path small = qemu.store("small");
            Tools.run("mkdir", "-p", small.toString());
            Tools.run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", small.toString());
            try {
                // Throttled, so vdb is still copying when vda hits ENOSPC.
                AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()).withJobSpeed(16 * MIB));
                Path vdaTarget = small.resolve("vda.qcow2");
                Path vdbTarget = qemu.store("target-vdb.qcow2");
                AgentResult started = rig.run(Requests.push(rig, "nospace",
                        List.of(full("vda", vdaTarget), full("vdb", vdbTarget)), checkpoint("chk1", "vda", "vdb"), false));
                assertThat(started.success()).as("%s", started.error()).isTrue();

                BackupJobReport end = rig.sink.awaitTerminal("nospace", AgentRig.WAIT);
                assertThat(end.state()).isEqualTo(BackupJobState.FAILED);
                assertThat(end.error()).isEqualTo("No space left on device");
                assertThat(end.disks()).extracting(DiskJobReport::disk, DiskJobReport::state).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("vda", DiskJobState.FAILED),
                        org.assertj.core.groups.Tuple.tuple("vdb", DiskJobState.CANCELLED));
                PushBackupTest.assertReportSequence(rig.sink.of("nospace"));
                assertThat(vdaTarget).doesNotExist();
                assertThat(vdbTarget).doesNotExist();
                // libvirt keeps a checkpoint once its backup started, whatever the job's end.
                assertThat(rig.connection().inventory().await().atMost(AgentRig.WAIT).disks())
                        .as("the failed backup's checkpoint bitmaps stay")
                        .allSatisfy(d -> assertThat(d.bitmapNames()).containsExactly("chk1"));
                rig.assertQemuClean();
            } finally {
                Tools.run("umount", small.toString());
            }
        }
    }

    @Test
    void refusedStartsLeaveNothingBehind(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("refuse").disk("vda", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path target = qemu.store("t.qcow2");

            AgentResult unknownBitmap = rig.run(Requests.push(rig, "j1", List.of(incremental("vda", "nope", target)),
                    List.of(), false));
            assertThat(unknownBitmap.error().code()).isEqualTo("VIR_ERR_CHECKPOINT_INCONSISTENT");
            assertThat(unknownBitmap.error().message()).isEqualTo("missing or broken bitmap 'nope' for disk 'vda'");

            AgentResult outside = rig.run(Requests.push(rig, "j2", List.of(full("vda", tempDir.resolve("escape.qcow2"))),
                    List.of(), false));
            assertThat(outside.error().code()).isEqualTo("VIR_ERR_OPERATION_DENIED");
            assertThat(tempDir.resolve("escape.qcow2")).doesNotExist();

            Files.createDirectories(qemu.storeDirectory());
            Files.writeString(target, "precious");
            AgentResult exists = rig.run(Requests.push(rig, "j3", List.of(full("vda", target)), List.of(), false));
            assertThat(exists.error().code()).isEqualTo("VIR_ERR_INVALID_ARG");
            assertThat(exists.error().message()).isEqualTo("store '%s' for backup of 'vda' exists".formatted(target));
            assertThat(Files.readString(target)).isEqualTo("precious");

            AgentResult noTls = rig.run(Requests.pull(rig, "j4",
                    new BackupServer("unix", null, null, qemu.store("n.sock").toString(), null, true),
                    List.of(full("vda", qemu.store("s.qcow2"))), List.of()));
            assertThat(noTls.error().code()).isEqualTo("VIR_ERR_OPERATION_INVALID");
            assertThat(noTls.error().message()).isEqualTo("backup TLS directory not configured");

            AgentResult wideOpen = rig.run(Requests.pull(rig, "j5", new BackupServer("tcp", "0.0.0.0", 10809, null, null, null),
                    List.of(full("vda", qemu.store("s.qcow2"))), List.of()));
            assertThat(wideOpen.error().code()).as("a wildcard bind").isEqualTo("VIR_ERR_INVALID_ARG");
            AgentResult unlisted = rig.run(Requests.pull(rig, "j6", new BackupServer("tcp", "127.0.0.2", 10809, null,
                    null, null), List.of(full("vda", qemu.store("s.qcow2"))), List.of()));
            assertThat(unlisted.error().code()).as("an address not configured").isEqualTo("VIR_ERR_OPERATION_DENIED");

            assertThat(rig.sink.of("j1")).as("a start refused before QEMU's transaction sends no job report").isEmpty();
            assertThat(qemu.store("s.qcow2")).doesNotExist();
            rig.assertQemuClean();
        }
    }

    @Test
    void duplicateCheckpointNameFailsTheTransactionAndKeepsTheExistingBitmap(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("dup").disk("vda", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            assertThat(rig.run(new AddBitmapsRequest("r", "host-1", "dup", List.of(new DiskBitmap("vda", "chk1"))))
                    .success()).isTrue();
            Path target = qemu.store("t.qcow2");
            AgentResult result = rig.run(Requests.push(rig, "dup-1", List.of(full("vda", target)), checkpoint("chk1", "vda"),
                    false));
            assertThat(result.error().code()).isEqualTo("VIR_ERR_INTERNAL_ERROR");
            assertThat(result.error().message())
                    .isEqualTo("unable to execute QEMU command 'transaction': Bitmap already exists: chk1");
            assertThat(target).as("the target it created is removed again").doesNotExist();
            assertThat(rig.sink.awaitTerminal("dup-1", AgentRig.WAIT).state()).isEqualTo(BackupJobState.FAILED);
            PushBackupTest.assertReportSequence(rig.sink.of("dup-1"));
            assertThat(rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow().bitmapNames())
                    .as("the existing checkpoint is not touched").containsExactly("chk1");
            rig.assertQemuClean();
        }
    }

    @Test
    void aReusedTargetIsNeverDeletedEvenWhenTheBackupFails(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("reusefail").disk("vda", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path tooSmall = qemu.store("small.qcow2");
            Files.createDirectories(qemu.storeDirectory());
            Tools.run("qemu-img", "create", "-q", "-f", "qcow2", tooSmall.toString(), "8M");
            AgentResult result = rig.run(Requests.push(rig, "rf", List.of(full("vda", tooSmall)), List.of(), true));
            assertThat(result.error().message()).contains("Source and target image have different sizes");
            assertThat(tooSmall).exists();
            rig.assertQemuClean();
        }
    }

    @Test
    void oneBackupPerDomainAndAHostLimitThenAPushCancelIsCancelled(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("busy").disk("vda", 64 * MIB, FILL).start();
                GuestlessQemu other = GuestlessQemu.builder(tempDir).domain("other").disk("vda", 16 * MIB).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot())
                    .withJobSpeed(4 * MIB).withMaxConcurrentJobs(1));
            Path target = qemu.store("t.qcow2");
            assertThat(rig.run(Requests.push(rig, "slow", List.of(full("vda", target)), checkpoint("chk1", "vda"), false))
                    .success()).isTrue();

            AgentResult second = rig.run(Requests.push(rig, "second", List.of(full("vda", qemu.store("u.qcow2"))), List.of(),
                    false));
            assertThat(second.error().code()).isEqualTo("VIR_ERR_OPERATION_INVALID");
            assertThat(second.error().message()).isEqualTo("another backup job is already running");

            AgentRig otherRig = new AgentRig(other, TestAgentConfig.of(other.workDir(), other.storageRoot()));
            // Same agent (same BackupJobs), another domain: the host-wide limit of 1 is reached.
            Throwable overLimit = rig.backups.start(otherRig.connection(), Requests.push(otherRig, "third",
                    List.of(full("vda", other.store("t.qcow2"))), List.of(), false))
                    .onItem().transform(job -> (Throwable) null).onFailure().recoverWithItem(failure -> failure)
                    .await().atMost(AgentRig.WAIT);
            assertThat(overLimit).isInstanceOf(CairnException.class);
            assertThat(((CairnException) overLimit).code()).isEqualTo(VirErrorCode.VIR_ERR_RESOURCE_BUSY);
            assertThat(other.store("t.qcow2")).doesNotExist();
            assertThat(rig.run(Requests.abort(rig, "missing-job")).error().code()).isEqualTo("VIR_ERR_NO_DOMAIN_BACKUP");

            await().atMost(AgentRig.WAIT).until(() -> rig.sink.of("slow").stream()
                    .anyMatch(report -> report.state() == BackupJobState.RUNNING && report.statistics().diskProcessed() > 0));
            assertThat(rig.run(Requests.abort(rig, "slow")).success()).isTrue();
            BackupJobReport end = rig.sink.awaitTerminal("slow", AgentRig.WAIT);
            assertThat(end.state()).as("a cancelled push is CANCELLED").isEqualTo(BackupJobState.CANCELLED);
            assertThat(target).doesNotExist();
            assertThat(rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow().bitmapNames())
                    .as("libvirt keeps the checkpoint of a cancelled push").containsExactly("chk1");
            rig.assertQemuClean();
        }
    }

    @Test
    void kill9DuringABackupFailsTheJobAndLeavesTheCheckpointInconsistent(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("crash").disk("vda", 64 * MIB, FILL).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()).withJobSpeed(4 * MIB));
            assertThat(rig.run(new AddBitmapsRequest("r", "host-1", "crash", List.of(new DiskBitmap("vda", "chk1"))))
                    .success()).isTrue();
            // A clean stop writes chk1 into the image; the next crash then leaves it "in-use", i.e. inconsistent.
            qemu.stop();
            qemu.restart();
            Path target = qemu.store("t.qcow2");
            assertThat(rig.run(Requests.push(rig, "doomed", List.of(full("vda", target)),
                    checkpoint("chk2", "vda"), false)).success()).isTrue();
            qemu.kill9();

            BackupJobReport end = rig.sink.awaitTerminal("doomed", AgentRig.WAIT);
            assertThat(end.state()).isEqualTo(BackupJobState.FAILED);
            assertThat(end.error()).contains("QEMU exited");
            assertThat(target).doesNotExist();

            qemu.restart();
            AgentResult validated = rig.run(new ValidateBitmapsRequest("v", "host-1", "crash",
                    List.of(new DiskBitmap("vda", "chk1"), new DiskBitmap("vda", "chk2"))));
            assertThat(validated.bitmaps()).containsExactly(new BitmapCheck("vda", "chk1", false, "inconsistent", null),
                    new BitmapCheck("vda", "chk2", false, "missing", null));
            DiskInventory vda = rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow();
            assertThat(vda.bitmap("chk1").orElseThrow().inconsistent()).isTrue();
            rig.assertQemuClean();
        }
    }
}
