package io.cairn.backup.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.model.PullOutput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The rules of backup.register: what is refused with which libvirt error, and the artifacts the outputs become. */
class PullRegistrationTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final String DIR = "/backups/vm-1/";

    @Test
    void anEndedIncrementalPullsOutputsBecomePullArtifactsOfItsCheckpointAtItsEnd() {
        BackupJob pull = ended(BackupMode.PULL, BackupJobState.COMPLETED);
        BackupRegisterCommand command = register("j-2", output("vda", "qcow2"), output("vdb", "raw"));

        List<DiskRestorePlan> plan = PullRegistration.plan(command, Optional.of(pull), Set.of());

        assertThat(plan).containsExactly(new DiskRestorePlan("vda", List.of(), DIR + "vda.qcow2", "qcow2"),
                new DiskRestorePlan("vdb", List.of(), DIR + "vdb.raw", "raw"));
        List<Artifact> artifacts = PullRegistration.artifacts(pull, List.of(
                new RestoredDisk("vda", DIR + "vda.qcow2", "qcow2", 4096, "ab".repeat(32), List.of()),
                new RestoredDisk("vdb", DIR + "vdb.raw", "raw", 8192, "cd".repeat(32), List.of())));
        assertThat(artifacts).containsExactly(
                new Artifact("j-2", "vm-1", "host-1", "vda", "p2", "p1", BackupMode.PULL, DIR + "vda.qcow2", "qcow2",
                        4096L, "ab".repeat(32), T0.plusSeconds(60)),
                new Artifact("j-2", "vm-1", "host-1", "vdb", "p2", null, BackupMode.PULL, DIR + "vdb.raw", "raw",
                        8192L, "cd".repeat(32), T0.plusSeconds(60)));
        assertThat(PullRegistration.registered(artifacts.get(0)).incrementalFrom()).isEqualTo("p1");
    }

    @Test
    void registeredOutputsCloseTheChainAPullLeftOpen() {
        BackupJob pull = ended(BackupMode.PULL, BackupJobState.COMPLETED);
        Artifact full = new Artifact("j-1", "vm-1", "host-1", "vda", "p1", null, BackupMode.PULL, DIR + "vda.full",
                "qcow2", 1L, "00".repeat(32), T0);
        List<Artifact> incremental = PullRegistration.artifacts(pull, List.of(
                new RestoredDisk("vda", DIR + "vda.qcow2", "qcow2", 2, "11".repeat(32), List.of())));

        RestorePoint point = RestorePoints.of(List.of(full, incremental.get(0)), List.of()).get(0);

        assertThat(point.checkpoint()).isEqualTo("p2");
        assertThat(point.disks().get(0).missing()).isNull();
        assertThat(point.disks().get(0).chain()).extracting(Artifact::path).containsExactly(DIR + "vda.full",
                DIR + "vda.qcow2");
    }

    @Test
    void refusalsNameLibvirtsErrors() {
        BackupJob pull = ended(BackupMode.PULL, BackupJobState.COMPLETED);
        BackupRegisterCommand vda = register("j-2", output("vda", "qcow2"));

        refused(() -> PullRegistration.plan(vda, Optional.empty(), Set.of()), VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP,
                "no domain backup job 'j-2'");
        BackupRegisterCommand otherDomain = new BackupRegisterCommand("c-2", "vm-2", "j-2",
                List.of(output("vda", "qcow2")));
        refused(() -> PullRegistration.plan(otherDomain, Optional.of(pull), Set.of()),
                VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "of domain 'vm-2'");
        refused(() -> PullRegistration.plan(vda, Optional.of(ended(BackupMode.PUSH, BackupJobState.COMPLETED)),
                Set.of()), VirErrorCode.VIR_ERR_OPERATION_INVALID, "is a push backup");
        refused(() -> PullRegistration.plan(vda, Optional.of(ended(BackupMode.PULL, BackupJobState.FAILED)),
                Set.of()), VirErrorCode.VIR_ERR_OPERATION_INVALID, "has not ended successfully (it is failed)");
        refused(() -> PullRegistration.plan(register("j-2", output("vdc", "qcow2")), Optional.of(pull), Set.of()),
                VirErrorCode.VIR_ERR_INVALID_ARG, "did not back up disk 'vdc'");
        refused(() -> PullRegistration.plan(vda, Optional.of(pull), Set.of("vda")),
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "in the backup catalog already");
        refused(() -> PullRegistration.plan(register("j-2", output("vda", "raw")), Optional.of(pull), Set.of()),
                VirErrorCode.VIR_ERR_INVALID_ARG, "its output must be qcow2");
        refused(() -> PullRegistration.plan(vda, Optional.of(pull), Set.of(), Set.of(DIR + "vda.qcow2"), Map.of()),
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "is another artifact's file already");
        refused(() -> PullRegistration.plan(register("j-2", output("vda", "qcow2"), new PullOutput("vdb",
                DIR + "vda.qcow2", "qcow2")), Optional.of(pull), Set.of()), VirErrorCode.VIR_ERR_OPERATION_INVALID,
                "is another artifact's file already");
        refused(() -> PullRegistration.plan(vda, Optional.of(pull), Set.of(), Set.of(),
                Map.of(DIR + "vda.qcow2", "disk 'vda' of domain 'vm-1' (running)")),
                VirErrorCode.VIR_ERR_OPERATION_INVALID, "is disk 'vda' of domain 'vm-1' (running), not a backup");
    }

    @Test
    void theCommandItselfNeedsAbsolutePathsAndAKnownFormat() {
        refused(() -> new BackupRegisterCommand("c-1", "vm-1", "j-2", List.of(new PullOutput("vda", "rel/x", "raw")))
                .validate(), VirErrorCode.VIR_ERR_INVALID_ARG, "must be an absolute path");
        refused(() -> new BackupRegisterCommand("c-1", "vm-1", "j-2", List.of(new PullOutput("vda", "/x", "vmdk")))
                .validate(), VirErrorCode.VIR_ERR_INVALID_ARG, "must be qcow2 or raw");
        refused(() -> new BackupRegisterCommand("c-1", "vm-1", "j-2", List.of()).validate(),
                VirErrorCode.VIR_ERR_INVALID_ARG, "at least one disk");
    }

    private static void refused(ThrowingCallable call, VirErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static PullOutput output(String disk, String format) {
        return new PullOutput(disk, DIR + disk + "." + format, format);
    }

    private static BackupRegisterCommand register(String jobId, PullOutput... outputs) {
        return new BackupRegisterCommand("c-1", "vm-1", jobId, List.of(outputs));
    }

    /** Job j-2 creating p2: vda incremental from p1, vdb full; started at T0, ended by its agent at T0+60s. */
    private static BackupJob ended(BackupMode mode, BackupJobState end) {
        BackupDefinition definition = new BackupDefinition(mode, "p1", null, List.of(
                new BackupDisk("vda", true, DiskBackupMode.INCREMENTAL, "p1", null, null, null, null),
                new BackupDisk("vdb", true, DiskBackupMode.FULL, null, null, null, null, null)));
        BackupJob job = BackupJob.queue(new JobRequest("j-2", "vm-1", "host-1", "begin-2", definition,
                new CheckpointDefinition("p2", null, "p1", null, null, null), false), T0);
        job.start(T0);
        job.apply(report(1, BackupJobState.RUNNING, DiskJobState.RUNNING), T0.plusSeconds(1));
        DiskJobState disks = end == BackupJobState.COMPLETED ? DiskJobState.COMPLETE : DiskJobState.FAILED;
        job.apply(report(2, end, disks), T0.plusSeconds(60));
        return job;
    }

    private static BackupJobReport report(long sequence, BackupJobState state, DiskJobState disks) {
        return new BackupJobReport("j-2", "host-1", "vm-1", "req-1", sequence, state, List.of(
                new DiskJobReport("vda", disks, 10, 10, null), new DiskJobReport("vdb", disks, 10, 10, null)),
                null, null, null, T0.plusSeconds(sequence));
    }
}
