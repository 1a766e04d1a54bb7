package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent restart while QEMU keeps running: a new agent process (new registry, job table and sink)
 * adopts the backup jobs it finds in QEMU, running or already concluded, and removes the traces of jobs
 * that no longer exist.
 */
class RestartRecoveryTest {

    private static final long MIB = 1024 * 1024;
    private static final PatternWrite FILL = new PatternWrite(0x5a, 0, 48 * MIB);

    @Test
    void aRunningJobIsAdoptedAndFinishedByTheNextAgent(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("adopt").disk("vda", 64 * MIB, FILL).start()) {
            TestAgentConfig config = TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()).withJobSpeed(4 * MIB);
            AgentRig before = new AgentRig(qemu, config);
            Path target = qemu.store("full.qcow2");
            assertThat(before.run(Requests.push(before, "survivor", List.of(Requests.full("vda", target)),
                    Requests.checkpoint("chk1", "vda"), false)).success()).isTrue();
            restartAgent(before);

            AgentRig after = new AgentRig(qemu, config);
            Reconciler reconciler = new Reconciler(after.registry, after.operations, after.backups);
            assertThat(reconciler.reconcile("adopt").await().atMost(AgentRig.WAIT)).containsExactly("adopt: adopted job survivor");
            assertThat(after.backups.job("survivor")).isPresent();
            setSpeed(after.connection(), "survivor", 0);

            assertThat(after.sink.awaitTerminal("survivor", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(after.sink.of("survivor").get(0).sequence())
                    .as("the adopted job's reports rank after the first agent's").isGreaterThan(lastSequence(before));
            assertThat(after.identical(target, after.expectedImage("want.qcow2", 64 * MIB, List.of(FILL)))).isTrue();
            after.assertQemuClean();
            assertThat(after.backups.active()).isEmpty();
        }
    }

    @Test
    void aJobThatEndedWhileNoAgentRanIsReportedOnAdoption(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("ended").disk("vda", 64 * MIB, FILL).start()) {
            TestAgentConfig config = TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()).withJobSpeed(4 * MIB);
            AgentRig before = new AgentRig(qemu, config);
            Path target = qemu.store("full.qcow2");
            assertThat(before.run(Requests.push(before, "orphan", List.of(Requests.full("vda", target)), List.of(), false))
                    .success()).isTrue();
            restartAgent(before);

            AgentRig after = new AgentRig(qemu, config);
            DomainConnection connection = after.connection();
            setSpeed(connection, "orphan", 0);
            await().atMost(AgentRig.WAIT).until(() -> connection.commands().queryJobs().await().atMost(AgentRig.WAIT)
                    .stream().allMatch(job -> job.isConcluded()));
            new Reconciler(after.registry, after.operations, after.backups).reconcile("ended").await().atMost(AgentRig.WAIT);

            assertThat(after.sink.awaitTerminal("orphan", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(target).exists();
            after.assertQemuClean();
        }
    }

    @Test
    void anAdoptedPullStopsItsNbdServerWhenItEndsSoTheNextPullCanStart(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("nbdagain").disk("vda", 16 * MIB).start()) {
            TestAgentConfig config = TestAgentConfig.of(qemu.workDir(), qemu.storageRoot());
            AgentRig before = new AgentRig(qemu, config);
            BackupServer server = new BackupServer("unix", null, null, qemu.store("nbd.sock").toString(), null, null);
            assertThat(before.run(Requests.pull(before, "first", server, List.of(new BackupDisk("vda", null,
                    DiskBackupMode.FULL, null, null, null, Requests.store(qemu.store("s1.qcow2")), null)), List.of()))
                    .success()).isTrue();
            restartAgent(before);

            AgentRig after = new AgentRig(qemu, config);
            new Reconciler(after.registry, after.operations, after.backups).reconcile("nbdagain")
                    .await().atMost(AgentRig.WAIT);
            assertThat(after.run(Requests.abort(after, "first")).success()).isTrue();
            assertThat(after.sink.awaitTerminal("first", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);

            var second = after.run(Requests.pull(after, "second", server, List.of(new BackupDisk("vda", null,
                    DiskBackupMode.FULL, null, null, null, Requests.store(qemu.store("s2.qcow2")), null)), List.of()));
            assertThat(second.success()).as("the next pull: %s", second.error()).isTrue();
            assertThat(after.run(Requests.abort(after, "second")).success()).isTrue();
            after.sink.awaitTerminal("second", AgentRig.WAIT);
            after.assertQemuClean();
        }
    }

    @Test
    void tracesOfVanishedJobsAreRemoved(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("leftover").disk("vda", 16 * MIB).start()) {
            TestAgentConfig config = TestAgentConfig.of(qemu.workDir(), qemu.storageRoot());
            AgentRig before = new AgentRig(qemu, config);
            Path scratch = qemu.store("scratch.qcow2");
            BackupDisk disk = new BackupDisk("vda", null, DiskBackupMode.FULL, null, null, null, Requests.store(scratch), null);
            assertThat(before.run(Requests.pull(before, "gone", new BackupServer("unix", null, null,
                    qemu.store("nbd.sock").toString(), null, null), List.of(disk), List.of())).success()).isTrue();
            restartAgent(before);

            AgentRig after = new AgentRig(qemu, config);
            DomainConnection connection = after.connection();
            // The job itself vanished (say, someone cancelled and dismissed it by hand); its export, nodes,
            // scratch file and two temporary bitmaps of interrupted operations stay behind.
            String jobId = BackupNames.qemuJobId("vda", "gone");
            connection.client().execute("job-cancel", QmpClient.arguments().put("id", jobId)).await().atMost(AgentRig.WAIT);
            await().atMost(AgentRig.WAIT).until(() -> connection.commands().queryJobs().await().atMost(AgentRig.WAIT)
                    .stream().allMatch(job -> job.isConcluded()));
            connection.commands().jobDismiss(jobId).await().atMost(AgentRig.WAIT);
            String vda = qemu.disk("vda").formatNodeName();
            connection.commands().transaction(List.of(TransactionAction.addBitmap(vda, "backup-vda", false, true),
                    TransactionAction.addBitmap(vda, "libvirt-tmp-size-xml", false, true))).await().atMost(AgentRig.WAIT);

            List<String> done = new Reconciler(after.registry, after.operations, after.backups).reconcileAll()
                    .await().atMost(AgentRig.WAIT);
            assertThat(done).anyMatch(line -> line.contains("removed export"))
                    .anyMatch(line -> line.contains("deleted " + scratch));
            assertThat(scratch).doesNotExist();
            after.assertQemuClean();
            assertThat(after.sink.of("gone")).isEmpty();
        }
    }

    @Test
    void aTargetCreatedByAnAgentThatDiedBeforeItsJobRanIsDeletedAndACompletedOneKept(@TempDir Path tempDir)
            throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("halfway").disk("vda", 16 * MIB).start()) {
            TestAgentConfig config = TestAgentConfig.of(qemu.workDir(), qemu.storageRoot());
            AgentRig before = new AgentRig(qemu, config);
            Path kept = qemu.store("done.qcow2");
            assertThat(before.run(Requests.push(before, "done", List.of(Requests.full("vda", kept)), List.of(),
                    false)).success()).isTrue();
            assertThat(before.sink.awaitTerminal("done", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            // What BackupStarter does first for a created target, then the kill -9 before blockdev-add: the file
            // exists, no QEMU node or job names it, and no process remembers it.
            StoragePolicy storage = new StoragePolicy(config.storageRoots());
            Path orphan = qemu.store("halfway.qcow2");
            createdFor(before, storage, "halfway-job", orphan);
            // Recorded and created too, but replaced since (another inode at the path now): not the job's any more.
            Path replaced = qemu.store("replaced.qcow2");
            createdFor(before, storage, "halfway-job", replaced);
            Files.delete(replaced);
            Files.writeString(replaced, "someone else's");
            // Only the intent recorded (the agent died before recording the inode): the file may not be the job's.
            Path unproven = qemu.store("unproven.qcow2");
            before.backups.stores().beforeCreating("halfway-job", "halfway", unproven);
            Files.writeString(unproven, "not provably created by the job");
            restartAgent(before);

            AgentRig after = new AgentRig(qemu, config);
            List<String> done = new Reconciler(after.registry, after.operations, after.backups).reconcileAll()
                    .await().atMost(AgentRig.WAIT);

            assertThat(done).anyMatch(line -> line.contains("deleted " + orphan));
            assertThat(orphan).doesNotExist();
            assertThat(done).anyMatch(line -> line.contains("kept " + replaced + ": replaced since its job created it"));
            assertThat(replaced).hasContent("someone else's");
            assertThat(done).anyMatch(line -> line.contains("kept " + unproven));
            assertThat(unproven).hasContent("not provably created by the job");
            assertThat(kept).as("a completed push target is the user's backup").exists();
            assertThat(after.backups.stores().unsettled()).isEmpty();
            after.assertQemuClean();
        }
    }

    /** What BackupStarter does first for a created target: record it, create it exclusively, record its inode. */
    private static void createdFor(AgentRig agent, StoragePolicy storage, String jobId, Path store) {
        String domain = agent.qemu.domain();
        agent.backups.stores().beforeCreating(jobId, domain, store);
        StoreFiles.Created created = agent.storeFiles.create(storage.checkNewStore(store.toString(), domain, "vda"),
                staging -> ImageFiles.createQcow2Now(staging, 16 * MIB, null));
        agent.backups.stores().created(jobId, domain, created);
    }

    /** What a stopping agent does: leave the jobs to QEMU and let go of the QMP socket. */
    private static void restartAgent(AgentRig agent) {
        agent.backups.detachAll();
        agent.registry.closeAll();
    }

    private static void setSpeed(DomainConnection connection, String jobId, long speed) {
        connection.client().execute("block-job-set-speed", QmpClient.arguments()
                .put("device", BackupNames.qemuJobId("vda", jobId)).put("speed", speed)).await().atMost(AgentRig.WAIT);
    }

    private static long lastSequence(AgentRig agent) {
        return agent.sink.of(agent.sink.of("survivor").isEmpty() ? "x" : "survivor").stream()
                .mapToLong(report -> report.sequence()).max().orElse(0);
    }
}
