package io.cairn.agent.backup;

import static io.cairn.agent.backup.Requests.checkpoint;
import static io.cairn.agent.backup.Requests.full;
import static io.cairn.agent.backup.Requests.incremental;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.EndRestoreRequest;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.agent.WrittenTarget;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.RestoreMode;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores from real push artifacts (a full and two incrementals of a guest-less QEMU's disk): each restore point
 * written as a qcow2 copy, a raw copy and a thin overlay equals the disk at its checkpoint, even where an
 * incremental's header names a file that does not exist; a damaged or missing artifact fails the restore, naming
 * it, with nothing left behind; a target outside the domain's directory or one that exists is refused.
 */
class RestoreFromArtifactsTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 64 * MIB;
    private static final List<PatternWrite> INITIAL = List.of(new PatternWrite(0x11, 0, 4 * MIB),
            new PatternWrite(0x22, 32 * MIB, 2 * MIB));
    private static final List<PatternWrite> BEFORE_C2 = List.of(new PatternWrite(0x44, 0, 64 * 1024),
            new PatternWrite(0x55, 10 * MIB + 512, 4096));
    private static final List<PatternWrite> BEFORE_C3 = List.of(new PatternWrite(0x66, 20 * MIB, MIB),
            new PatternWrite(0x77, 33 * MIB, MIB));
    private static final List<PatternWrite> AFTER = List.of(new PatternWrite(0x88, 0, 8 * MIB));

    @Test
    void everyRestorePointRestoresAsCopyRawAndThinWhateverTheHeadersSay(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("restore")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            List<RestoreLink> chain = backUpThreeTimes(rig, qemu);
            AFTER.forEach(write -> rig.guestWrite("vda", write));
            Path atC2 = rig.expectedImage("want-c2.qcow2", SIZE, PushBackupTest.concat(INITIAL, BEFORE_C2));
            Path atC3 = rig.expectedImage("want-c3.qcow2", SIZE,
                    PushBackupTest.concat(PushBackupTest.concat(INITIAL, BEFORE_C2), BEFORE_C3));

            RestoredDisk copyC2 = restored(rig, "r-copy", RestoreMode.COPY, chain.subList(0, 2),
                    qemu.store("vda-c2.qcow2"), "qcow2");
            RestoredDisk rawC3 = restored(rig, "r-raw", RestoreMode.COPY, chain, qemu.store("vda-c3.raw"), "raw");
            RestoredDisk thinC3 = restored(rig, "r-thin", RestoreMode.THIN, chain, qemu.store("vda-c3-thin.qcow2"),
                    "qcow2");

            assertThat(Tools.identical(Path.of(copyC2.path()), "qcow2", atC2, "qcow2")).as("copy at c2").isTrue();
            assertThat(Tools.identical(Path.of(rawC3.path()), "raw", atC3, "qcow2")).as("raw at c3").isTrue();
            assertThat(Tools.identical(Path.of(thinC3.path()), "qcow2", atC3, "qcow2")).as("thin at c3").isTrue();
            assertThat(thinC3.size()).as("a thin overlay holds no data").isLessThan(MIB);
            for (RestoredDisk disk : List.of(copyC2, rawC3, thinC3)) {
                assertThat(disk.sha256()).isEqualTo(Tools.run("sha256sum", disk.path()).split(" ")[0]);
                assertThat(disk.size()).isEqualTo(Path.of(disk.path()).toFile().length());
            }
            assertThat(copyC2.chain()).containsExactly(chain.get(0).path(), chain.get(1).path());
            List<RestoreJobReport> reports = rig.sink.restoreReportsOf("r-copy");
            assertThat(reports).extracting(RestoreJobReport::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(reports.get(reports.size() - 1).bytesDone()).isEqualTo(reports.get(0).bytesTotal());
            rig.assertQemuClean();
        }
    }

    @Test
    void aDamagedOrMissingArtifactFailsTheRestoreNamingItAndLeavesNothing(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("damaged")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            List<RestoreLink> chain = backUpThreeTimes(rig, qemu);
            Path middle = Path.of(chain.get(1).path());
            flipOneByte(middle, Files.size(middle) / 2);
            Path target = qemu.store("never.qcow2");

            RestoreJobReport damaged = end(rig, "r-damaged", RestoreMode.COPY, chain, target, "qcow2");
            assertThat(damaged.state()).isEqualTo(RestoreJobState.FAILED);
            assertThat(damaged.error().code()).isEqualTo("VIR_ERR_OPERATION_FAILED");
            assertThat(damaged.error().message()).contains("'" + middle + "'", "is damaged", chain.get(1).sha256());
            assertThat(target).doesNotExist();

            Files.delete(Path.of(chain.get(2).path()));
            StartRestoreRequest verify = new StartRestoreRequest(rig.nextRequestId(), rig.config.hostId(),
                    rig.qemu.domain(), "v-1", RestoreMode.VERIFY, chain.stream()
                    .map(link -> new DiskRestorePlan("vda", List.of(link), null, null)).toList());
            assertThat(rig.run(verify).success()).as("a verify accepts missing artifacts, as verdicts").isTrue();
            RestoreJobReport verified = rig.sink.awaitRestoreEnd("v-1", AgentRig.WAIT);
            assertThat(verified.state()).isEqualTo(RestoreJobState.COMPLETED);
            assertThat(verified.verdicts()).extracting(verdict -> verdict.intact()).containsExactly(true, false, false);
            assertThat(verified.verdicts().get(1).problem()).contains("is damaged");
            assertThat(verified.verdicts().get(2).problem()).contains("No such file or directory");
            AgentResult missing = rig.run(request(rig, "r-missing", RestoreMode.THIN, chain, target, "qcow2"));
            assertThat(missing.success()).as("a missing link is refused before anything runs").isFalse();
            assertThat(missing.error().message()).contains("'" + chain.get(2).path() + "'", "No such file or directory");
            assertThat(target).doesNotExist();
            assertThat(rig.backups.stores().unsettled()).isEmpty();
        }
    }

    @Test
    void aTargetOutsideTheDomainDirectoryOrOneThatExistsIsRefusedBeforeAnythingRuns(@TempDir Path tempDir)
            throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("refused")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            List<RestoreLink> chain = backUpThreeTimes(rig, qemu);

            AgentResult outside = rig.run(request(rig, "r-out", RestoreMode.COPY, chain,
                    qemu.file("outside.qcow2"), "qcow2"));
            assertThat(outside.success()).isFalse();
            assertThat(outside.error().code()).isEqualTo("VIR_ERR_OPERATION_DENIED");

            Path existing = qemu.store("exists.qcow2");
            Files.writeString(existing, "mine");
            AgentResult exists = rig.run(request(rig, "r-exists", RestoreMode.COPY, chain, existing, "qcow2"));
            assertThat(exists.success()).isFalse();
            assertThat(exists.error().code()).isEqualTo("VIR_ERR_INVALID_ARG");
            assertThat(exists.error().message()).contains("exists");
            assertThat(Files.readString(existing)).isEqualTo("mine");

            AgentResult overLiveDisk = rig.run(request(rig, "r-live", RestoreMode.COPY, chain,
                    qemu.disk("vda").image(), "qcow2"));
            assertThat(overLiveDisk.success()).as("the live disk is never a target").isFalse();
            assertThat(rig.sink.restoreReportsOf("r-out")).isEmpty();
            rig.assertQemuClean();
        }
    }

    @Test
    void restoreEndAbortsARunningCopyWhichDeletesWhatItWroteAndReportsAborted(@TempDir Path tempDir)
            throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("aborted")
                .disk("vda", SIZE, INITIAL.toArray(PatternWrite[]::new)).start()) {
            // 1 MiB/s: the ~10 MiB of data the chain holds take seconds to write, so the end meets a running convert.
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot())
                    .withRestoreRateLimit(MIB));
            List<RestoreLink> chain = backUpThreeTimes(rig, qemu);
            Path target = qemu.store("aborted.qcow2");
            assertThat(rig.run(request(rig, "r-abort", RestoreMode.COPY, chain, target, "qcow2")).success()).isTrue();
            await("the copy is being written").atMost(AgentRig.WAIT).until(() -> Files.exists(target)
                    && rig.restores.knows("r-abort"));

            AgentResult ended = rig.run(new EndRestoreRequest(rig.nextRequestId(), rig.config.hostId(),
                    qemu.domain(), "r-abort", RestoreMode.COPY));
            assertThat(ended.success()).as("%s", ended.error()).isTrue();
            RestoreJobReport end = rig.sink.awaitRestoreEnd("r-abort", AgentRig.WAIT);
            assertThat(end.state()).isEqualTo(RestoreJobState.FAILED);
            assertThat(end.error().code()).isEqualTo("VIR_ERR_OPERATION_ABORTED");
            assertThat(end.error().message()).isEqualTo("operation aborted: restore r-abort was aborted by "
                    + "restore.end");
            assertThat(end.bytesDone()).as("it ended before its work was done").isLessThan(end.bytesTotal());
            assertThat(end.disks()).isEmpty();
            assertThat(target).as("the half-written image is deleted").doesNotExist();
            assertThat(rig.backups.stores().unsettled()).isEmpty();
            assertThat(rig.restores.knows("r-abort")).isFalse();

            // An end for a restore this agent does not run is its last word: FAILED, never COMPLETED.
            assertThat(rig.run(new EndRestoreRequest(rig.nextRequestId(), rig.config.hostId(), qemu.domain(),
                    "r-unknown", RestoreMode.COPY)).success()).isTrue();
            RestoreJobReport unknown = rig.sink.awaitRestoreEnd("r-unknown", AgentRig.WAIT);
            assertThat(unknown.state()).isEqualTo(RestoreJobState.FAILED);
            assertThat(unknown.sequence()).isEqualTo(RestoreJobReport.LAST_WORD);
            assertThat(unknown.error().code()).isEqualTo("VIR_ERR_OPERATION_ABORTED");

            rig.assertQemuClean();
        }
    }

    /** A full (c1) and two incrementals (c2 with a chain base, c3 without: its header names no real file). */
    private static List<RestoreLink> backUpThreeTimes(AgentRig rig, GuestlessQemu qemu) {
        Path full = qemu.store("full.qcow2");
        WrittenTarget c1 = written(rig, Requests.push(rig, "job-c1", List.of(full("vda", full)),
                checkpoint("c1", "vda"), false));
        BEFORE_C2.forEach(write -> rig.guestWrite("vda", write));
        Path inc2 = qemu.store("inc2.qcow2");
        StartBackupRequest second = Requests.push(rig, "job-c2", List.of(incremental("vda", "c1", inc2)),
                checkpoint("c2", "vda"), false);
        WrittenTarget c2 = written(rig, new StartBackupRequest(second.requestId(), second.hostId(), second.domain(),
                second.jobId(), second.backup(), second.checkpointBitmaps(), false, Map.of("vda", full.toString())));
        BEFORE_C3.forEach(write -> rig.guestWrite("vda", write));
        Path inc3 = qemu.store("inc3.qcow2");
        WrittenTarget c3 = written(rig, Requests.push(rig, "job-c3", List.of(incremental("vda", "c2", inc3)),
                checkpoint("c3", "vda"), false));
        assertThat(c3.backing()).as("c3's header names no real file").endsWith(ChainBases.UNKNOWN_SUFFIX);
        List<RestoreLink> chain = new ArrayList<>();
        for (WrittenTarget written : List.of(c1, c2, c3)) {
            chain.add(new RestoreLink(written.path(), "qcow2", written.size(), written.sha256()));
        }
        return chain;
    }

    private static WrittenTarget written(AgentRig rig, StartBackupRequest request) {
        assertThat(rig.run(request).success()).isTrue();
        BackupJobReport end = rig.sink.awaitTerminal(request.jobId(), AgentRig.WAIT);
        assertThat(end.state()).isEqualTo(BackupJobState.COMPLETED);
        return end.disks().get(0).written();
    }

    private static StartRestoreRequest request(AgentRig rig, String restoreId, RestoreMode mode,
            List<RestoreLink> chain, Path target, String format) {
        return new StartRestoreRequest(rig.nextRequestId(), rig.config.hostId(), rig.qemu.domain(), restoreId, mode,
                List.of(new DiskRestorePlan("vda", chain, target.toString(), format)));
    }

    private static RestoreJobReport end(AgentRig rig, String restoreId, RestoreMode mode, List<RestoreLink> chain,
            Path target, String format) {
        AgentResult accepted = rig.run(request(rig, restoreId, mode, chain, target, format));
        assertThat(accepted.success()).as("%s", accepted.error()).isTrue();
        return rig.sink.awaitRestoreEnd(restoreId, AgentRig.WAIT);
    }

    private static RestoredDisk restored(AgentRig rig, String restoreId, RestoreMode mode, List<RestoreLink> chain,
            Path target, String format) {
        RestoreJobReport end = end(rig, restoreId, mode, chain, target, format);
        assertThat(end.state()).as("%s", end.error()).isEqualTo(RestoreJobState.COMPLETED);
        assertThat(end.disks()).hasSize(1);
        return end.disks().get(0);
    }

    private static void flipOneByte(Path file, long offset) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int value = raf.read();
            raf.seek(offset);
            raf.write(value ^ 0xff);
        }
    }
}
