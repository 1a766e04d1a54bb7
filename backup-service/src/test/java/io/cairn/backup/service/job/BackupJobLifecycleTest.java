package io.cairn.backup.service.job;

import static io.cairn.backup.service.job.JobFixture.T0;
import static io.cairn.backup.service.job.JobFixture.at;
import static io.cairn.backup.service.job.JobFixture.disk;
import static io.cairn.backup.service.job.JobFixture.queued;
import static io.cairn.backup.service.job.JobFixture.report;
import static io.cairn.backup.service.job.JobFixture.running;
import static io.cairn.backup.service.job.JobFixture.starting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job's way through QUEUED, STARTING, RUNNING to its end, and the service-side moves (start, abort, fail, cancel). */
class BackupJobLifecycleTest {

    @Test
    void aNewJobWaitsInTheQueueWithNothingStarted() {
        BackupJob job = queued(BackupMode.PUSH, "vda");

        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.requestedAt()).isEqualTo(T0);
        assertThat(job.startedAt()).isEmpty();
        assertThat(job.disks()).isEmpty();
        assertThat(job.completion()).isEmpty();
        assertThat(job.mode()).isEqualTo(BackupMode.PUSH);
    }

    @Test
    void aDefinitionWithoutModeIsAPushBackupAsInLibvirt() {
        BackupJob job = BackupJob.queue(new JobRequest("j", "d", "h", "c",
                new BackupDefinition(null, null, null, null), null, false), T0);

        assertThat(job.mode()).isEqualTo(BackupMode.PUSH);
    }

    @Test
    void admissionMovesItToStarting() {
        BackupJob job = queued(BackupMode.PUSH, "vda");

        assertThat(job.start(at(5))).isEqualTo(TransitionOutcome.APPLIED);

        assertThat(job.state()).isEqualTo(JobState.STARTING);
        assertThat(job.startedAt()).contains(at(5));
    }

    @Test
    void startingTwiceIsABug() {
        BackupJob job = starting(BackupMode.PUSH, "vda");

        assertThatThrownBy(() -> job.start(at(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startingAJobCancelledWhileQueuedChangesNothing() {
        BackupJob job = queued(BackupMode.PUSH, "vda");
        job.abort(at(1));

        assertThat(job.start(at(2))).isEqualTo(TransitionOutcome.ALREADY_ENDED);
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void theFirstReportWithRunningDisksMovesItToRunning() {
        BackupJob job = starting(BackupMode.PUSH, "vda", "vdb");

        ReportOutcome outcome = job.apply(report(1, BackupJobState.RUNNING,
                disk("vda", DiskJobState.RUNNING, 0, 100), disk("vdb", DiskJobState.RUNNING, 0, 50)), at(1));

        assertThat(outcome).isEqualTo(new ReportOutcome(ReportVerdict.APPLIED, true, false, List.of()));
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.disks()).extracting(DiskJob::disk).containsExactly("vda", "vdb");
        assertThat(job.lastReportAt()).contains(at(1));
        assertThat(job.lastSequence()).contains(1L);
    }

    @Test
    void aStartingReportWithoutDisksIsOnlyASignOfLife() {
        BackupJob job = starting(BackupMode.PUSH, "vda");

        ReportOutcome outcome = job.apply(report(1, BackupJobState.STARTING), at(3));

        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.started()).isFalse();
        assertThat(job.state()).isEqualTo(JobState.STARTING);
        assertThat(job.lastReportAt()).contains(at(3));
    }

    @Test
    void aStartingReportListingItsDisksIsStillOnlyASignOfLife() {
        // The agent's STARTING report comes before QEMU's transaction (and a pull's exports) and lists the disks.
        BackupJob job = starting(BackupMode.PULL, "vda");

        ReportOutcome outcome = job.apply(report(1, BackupJobState.STARTING, disk("vda", DiskJobState.RUNNING, 0, 0)),
                at(3));

        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.started()).isFalse();
        assertThat(job.state()).isEqualTo(JobState.STARTING);
    }

    @Test
    void aPushJobCompletesWhenEveryDiskCompletes() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");

        ReportOutcome first = job.apply(report(2, BackupJobState.RUNNING,
                disk("vda", DiskJobState.COMPLETE, 100, 100), disk("vdb", DiskJobState.RUNNING, 60, 100)), at(2));
        ReportOutcome last = job.apply(report(3, BackupJobState.COMPLETED,
                disk("vda", DiskJobState.COMPLETE, 100, 100), disk("vdb", DiskJobState.COMPLETE, 100, 100)), at(3));

        assertThat(first.ended()).isFalse();
        assertThat(last).isEqualTo(new ReportOutcome(ReportVerdict.APPLIED, false, true, List.of()));
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.endedAt()).contains(at(3));
        CompletionSummary completion = job.completion().orElseThrow();
        assertThat(completion.status()).isEqualTo(BackupCompletionStatus.COMPLETED);
        assertThat(completion.success()).isTrue();
        assertThat(completion.errmsg()).isNull();
    }

    @Test
    void aJobThatEndsInItsFirstReportPassesThroughRunning() {
        BackupJob job = starting(BackupMode.PUSH, "vda");

        ReportOutcome outcome = job.apply(report(1, BackupJobState.COMPLETED,
                disk("vda", DiskJobState.COMPLETE, 100, 100)), at(1));

        assertThat(outcome.started()).isTrue();
        assertThat(outcome.ended()).isTrue();
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aRefusedStartFailsTheJobWithTheAgentsMessage() {
        BackupJob job = starting(BackupMode.PUSH, "vda");
        AgentResult refusal = new AgentResult("req-1", JobFixture.HOST, JobFixture.DOMAIN, "backup.start", false,
                ErrorInfo.of(VirErrorCode.VIR_ERR_CHECKPOINT_INCONSISTENT,
                        "checkpoint inconsistent: missing or broken bitmap 'c1' for disk 'vda'"), null, at(1));

        ReportOutcome outcome = job.applyStartResult(refusal, at(1));

        assertThat(outcome.ended()).isTrue();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.completion().orElseThrow().errmsg())
                .isEqualTo("checkpoint inconsistent: missing or broken bitmap 'c1' for disk 'vda'");
        assertThat(job.completion().orElseThrow().success()).isFalse();
    }

    @Test
    void anAcceptedStartOnlyProvesTheAgentAlive() {
        BackupJob job = starting(BackupMode.PUSH, "vda");
        AgentResult accepted = new AgentResult("req-1", JobFixture.HOST, JobFixture.DOMAIN, "backup.start", true,
                null, null, at(2));

        ReportOutcome outcome = job.applyStartResult(accepted, at(2));

        assertThat(outcome).isEqualTo(new ReportOutcome(ReportVerdict.APPLIED, false, false, List.of()));
        assertThat(job.state()).isEqualTo(JobState.STARTING);
        assertThat(job.lastReportAt()).contains(at(2));
    }

    @Test
    void startResultsForQueuedOrEndedJobsAreIgnored() {
        AgentResult accepted = new AgentResult("req-1", JobFixture.HOST, JobFixture.DOMAIN, "backup.start", true,
                null, null, at(2));
        BackupJob queuedJob = queued(BackupMode.PUSH, "vda");
        BackupJob ended = starting(BackupMode.PUSH, "vda");
        ended.fail("boom", at(1));

        assertThat(queuedJob.applyStartResult(accepted, at(2)).verdict()).isEqualTo(ReportVerdict.IGNORED_NOT_STARTED);
        assertThat(ended.applyStartResult(accepted, at(2)).verdict()).isEqualTo(ReportVerdict.IGNORED_JOB_ENDED);
    }

    @Test
    void abortingAQueuedJobCancelsItAtOnce() {
        BackupJob job = queued(BackupMode.PULL, "vda");

        assertThat(job.abort(at(4))).isEqualTo(AbortOutcome.CANCELLED_BEFORE_START);

        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        CompletionSummary completion = job.completion().orElseThrow();
        assertThat(completion.status()).isEqualTo(BackupCompletionStatus.CANCELLED);
        assertThat(completion.success()).isFalse();
        assertThat(completion.statistics().timeElapsed()).isZero();
    }

    @Test
    void abortingAStartedJobAsksTheAgentOnce() {
        BackupJob job = running(BackupMode.PULL, "vda");

        assertThat(job.abort(at(10))).isEqualTo(AbortOutcome.SEND_ABORT_TO_AGENT);
        assertThat(job.abort(at(11))).isEqualTo(AbortOutcome.ALREADY_REQUESTED);

        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.abortRequested()).contains(at(10));
    }

    @Test
    void abortingAStartingJobAlsoGoesThroughTheAgent() {
        BackupJob job = starting(BackupMode.PUSH, "vda");

        assertThat(job.abort(at(1))).isEqualTo(AbortOutcome.SEND_ABORT_TO_AGENT);
        assertThat(job.state()).isEqualTo(JobState.STARTING);
    }

    @Test
    void abortingAnEndedJobChangesNothing() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", DiskJobState.COMPLETE, 100, 100)), at(2));

        assertThat(job.abort(at(3))).isEqualTo(AbortOutcome.ALREADY_ENDED);
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.abortRequested()).isEmpty();
    }

    @Test
    void failingWorksFromEveryActiveState() {
        BackupJob queuedJob = queued(BackupMode.PUSH, "vda");
        BackupJob startingJob = starting(BackupMode.PUSH, "vda");
        BackupJob runningJob = running(BackupMode.PUSH, "vda");

        for (BackupJob job : List.of(queuedJob, startingJob, runningJob)) {
            assertThat(job.fail("domain vm-1 is not running", at(9))).isEqualTo(TransitionOutcome.APPLIED);
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.endedAt()).contains(at(9));
            assertThat(job.firstError()).contains("domain vm-1 is not running");
        }
    }

    @Test
    void cancellingWorksFromEveryActiveState() {
        BackupJob queuedJob = queued(BackupMode.PUSH, "vda");
        BackupJob startingJob = starting(BackupMode.PUSH, "vda");
        BackupJob runningJob = running(BackupMode.PUSH, "vda");

        for (BackupJob job : List.of(queuedJob, startingJob, runningJob)) {
            assertThat(job.cancel(at(9))).isEqualTo(TransitionOutcome.APPLIED);
            assertThat(job.state()).isEqualTo(JobState.CANCELLED);
            assertThat(job.completion().orElseThrow().status()).isEqualTo(BackupCompletionStatus.CANCELLED);
        }
    }

    @Test
    void anEndedJobIgnoresFailAndCancelAndKeepsItsEnd() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", DiskJobState.COMPLETE, 100, 100)), at(2));

        assertThat(job.fail("late", at(5))).isEqualTo(TransitionOutcome.ALREADY_ENDED);
        assertThat(job.cancel(at(6))).isEqualTo(TransitionOutcome.ALREADY_ENDED);

        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.endedAt()).contains(at(2));
        assertThat(job.firstError()).isEmpty();
    }

    @Test
    void aSnapshotRestoresAnEqualJob() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");
        job.apply(report(2, BackupJobState.RUNNING, JobFixture.failedDisk("vda", "I/O error"),
                disk("vdb", DiskJobState.RUNNING, 5, 100)), at(2));

        BackupJob restored = BackupJob.restore(job.snapshot());

        assertThat(restored.snapshot()).isEqualTo(job.snapshot());
        assertThat(restored.disk("vdb").orElseThrow().state()).isEqualTo(DiskJobState.CANCELLING);
    }

    @Test
    void aJobEndedWhileQueuedHasNoStartAndStillRestores() {
        BackupJob job = queued(BackupMode.PUSH, "vda");
        job.abort(at(3));

        BackupJob restored = BackupJob.restore(job.snapshot());

        assertThat(restored.state()).isEqualTo(JobState.CANCELLED);
        assertThat(restored.startedAt()).isEmpty();
        assertThat(restored.endedAt()).contains(at(3));
    }

    @Test
    void aStoredJobThatContradictsItselfIsRefused() {
        BackupJobSnapshot completedWithoutEnd = new BackupJobSnapshot("j", "d", "h", "c", BackupMode.PUSH,
                JobFixture.definition(BackupMode.PUSH, "vda"), null, false, JobState.COMPLETED, List.of(), null, null,
                T0, T0, null, null, null, null, null);
        BackupJobSnapshot runningWithoutStart = new BackupJobSnapshot("j", "d", "h", "c", BackupMode.PUSH,
                JobFixture.definition(BackupMode.PUSH, "vda"), null, false, JobState.RUNNING, List.of(), null, null,
                T0, null, null, null, null, null, null);

        assertThatThrownBy(() -> BackupJob.restore(completedWithoutEnd)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackupJob.restore(runningWithoutStart)).isInstanceOf(IllegalArgumentException.class);
    }
}
