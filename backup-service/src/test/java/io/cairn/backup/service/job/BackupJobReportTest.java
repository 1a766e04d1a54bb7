package io.cairn.backup.service.job;

import static io.cairn.backup.service.job.JobFixture.at;
import static io.cairn.backup.service.job.JobFixture.disk;
import static io.cairn.backup.service.job.JobFixture.failedDisk;
import static io.cairn.backup.service.job.JobFixture.queued;
import static io.cairn.backup.service.job.JobFixture.report;
import static io.cairn.backup.service.job.JobFixture.reportWithError;
import static io.cairn.backup.service.job.JobFixture.running;
import static io.cairn.backup.service.job.JobFixture.starting;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.model.BackupMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Agent reports are applied once, in sequence order, never to an ended job, and never make the status lie. */
class BackupJobReportTest {

    @Test
    void aDuplicateReportIsIgnored() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        BackupJobReport progress = report(2, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 40, 100));
        job.apply(progress, at(2));
        BackupJobSnapshot before = job.snapshot();

        ReportOutcome again = job.apply(progress, at(3));

        assertThat(again).isEqualTo(ReportOutcome.ignored(ReportVerdict.IGNORED_STALE_SEQUENCE));
        assertThat(job.snapshot()).isEqualTo(before);
    }

    @Test
    void anOlderReportArrivingLateIsIgnored() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.apply(report(5, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 80, 100)), at(5));

        ReportOutcome outcome = job.apply(report(4, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 60, 100)),
                at(6));

        assertThat(outcome.verdict()).isEqualTo(ReportVerdict.IGNORED_STALE_SEQUENCE);
        assertThat(job.disk("vda").orElseThrow().processed()).isEqualTo(80);
        assertThat(job.lastSequence()).contains(5L);
        assertThat(job.lastReportAt()).as("a stale report is no sign of life").contains(at(5));
    }

    @Test
    void sequencesMayHaveGaps() {
        BackupJob job = running(BackupMode.PUSH, "vda");

        ReportOutcome outcome = job.apply(report(9, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 90, 100)),
                at(9));

        assertThat(outcome.applied()).isTrue();
        assertThat(job.lastSequence()).contains(9L);
    }

    @Test
    void theFirstReportMayHaveSequenceZero() {
        BackupJob job = starting(BackupMode.PUSH, "vda");

        assertThat(job.apply(report(0, BackupJobState.STARTING), at(1)).applied()).isTrue();
        assertThat(job.apply(report(0, BackupJobState.RUNNING), at(2)).verdict())
                .isEqualTo(ReportVerdict.IGNORED_STALE_SEQUENCE);
    }

    @Test
    void aReportAboutAnotherJobIsIgnored() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        BackupJobReport foreign = new BackupJobReport("job-0", JobFixture.HOST, JobFixture.DOMAIN, "req-0", 50,
                BackupJobState.FAILED, List.of(failedDisk("vda", "old")), null, null, "old", at(7));

        assertThat(job.apply(foreign, at(7)).verdict()).isEqualTo(ReportVerdict.IGNORED_OTHER_JOB);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.lastSequence()).contains(1L);
    }

    @Test
    void aReportForAQueuedJobIsIgnored() {
        BackupJob job = queued(BackupMode.PUSH, "vda");

        assertThat(job.apply(report(1, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 0, 1)), at(1))
                .verdict()).isEqualTo(ReportVerdict.IGNORED_NOT_STARTED);
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void anEndedJobIgnoresEveryLaterReport(JobState end) {
        BackupJob job = endedIn(end);
        BackupJobSnapshot before = job.snapshot();

        for (BackupJobState reported : BackupJobState.values()) {
            ReportOutcome outcome = job.apply(report(100 + reported.ordinal(), reported,
                    disk("vda", DiskJobState.RUNNING, 1, 100)), at(100));
            assertThat(outcome).isEqualTo(ReportOutcome.ignored(ReportVerdict.IGNORED_JOB_ENDED));
        }
        assertThat(job.snapshot()).isEqualTo(before);
    }

    @Test
    void aLateFailureCannotOverwriteACompletedBackup() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", DiskJobState.COMPLETE, 100, 100)), at(2));

        ReportOutcome late = job.apply(reportWithError(3, BackupJobState.FAILED, "source lost",
                failedDisk("vda", "source lost")), at(3));

        assertThat(late.verdict()).isEqualTo(ReportVerdict.IGNORED_JOB_ENDED);
        assertThat(job.completion().orElseThrow().success()).isTrue();
        assertThat(job.firstError()).isEmpty();
    }

    @Test
    void onlyTheFirstErrorIsKept() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");

        job.apply(report(2, BackupJobState.RUNNING, failedDisk("vda", "No space left on device"),
                disk("vdb", DiskJobState.RUNNING, 1, 100)), at(2));
        job.apply(report(3, BackupJobState.FAILED, failedDisk("vda", "No space left on device"),
                failedDisk("vdb", "Input/output error")), at(3));

        assertThat(job.completion().orElseThrow().errmsg()).isEqualTo("No space left on device");
    }

    @Test
    void aFailedDiskWithoutItsOwnMessageTakesTheReportsOrAGenericOne() {
        BackupJob withReportError = running(BackupMode.PUSH, "vda");
        BackupJob withoutAny = running(BackupMode.PUSH, "vda");

        withReportError.apply(reportWithError(2, BackupJobState.FAILED, "job concluded with error",
                failedDisk("vda", null)), at(2));
        withoutAny.apply(report(2, BackupJobState.FAILED, failedDisk("vda", null)), at(2));

        assertThat(withReportError.firstError()).contains("job concluded with error");
        assertThat(withoutAny.firstError()).contains("backup of disk vda failed");
    }

    @Test
    void disksNeverMoveBackwards() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");
        job.apply(report(2, BackupJobState.RUNNING, disk("vda", DiskJobState.COMPLETE, 100, 100),
                disk("vdb", DiskJobState.RUNNING, 5, 100)), at(2));

        job.apply(report(3, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 0, 100),
                disk("vdb", DiskJobState.RUNNING, 50, 100)), at(3));

        assertThat(job.disk("vda").orElseThrow()).isEqualTo(new DiskJob("vda", DiskJobState.COMPLETE, 100, 100, null));
        assertThat(job.disk("vdb").orElseThrow().processed()).isEqualTo(50);
    }

    @Test
    void anAgentThatEndsTheJobWithoutDisksIsBelieved() {
        BackupJob failed = starting(BackupMode.PUSH, "vda");
        BackupJob cancelled = starting(BackupMode.PULL, "vda");

        ReportOutcome failure = failed.apply(reportWithError(1, BackupJobState.FAILED,
                "unable to execute QEMU command 'transaction': Bitmap already exists: c2"), at(1));
        cancelled.apply(report(1, BackupJobState.CANCELLED), at(1));

        assertThat(failure.ended()).isTrue();
        assertThat(failure.started()).isFalse();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.firstError())
                .contains("unable to execute QEMU command 'transaction': Bitmap already exists: c2");
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aFailureReportWithoutAnyMessageStillExplains() {
        BackupJob job = running(BackupMode.PUSH, "vda");

        job.apply(report(2, BackupJobState.FAILED), at(2));

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.firstError()).contains("backup job failed on host " + JobFixture.HOST);
    }

    @Test
    void completedIsNeverClaimedWhileADiskIsUnfinished() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");

        ReportOutcome outcome = job.apply(report(2, BackupJobState.COMPLETED,
                disk("vda", DiskJobState.COMPLETE, 100, 100)), at(2));

        assertThat(outcome.ended()).isTrue();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.completion().orElseThrow().success()).isFalse();
        assertThat(job.firstError()).contains("host agent reported the backup completed while disks [vdb] had not finished");
    }

    @Test
    void theDisksVerdictWinsOverTheAgentsSummary() {
        BackupJob job = running(BackupMode.PUSH, "vda");

        job.apply(report(2, BackupJobState.COMPLETED, failedDisk("vda", "write error")), at(2));

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.firstError()).contains("write error");
    }

    @Test
    void aDiskTheDefinitionDidNotMentionIsStillTracked() {
        BackupJob job = running(BackupMode.PUSH, "vda");

        job.apply(report(2, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 1, 100),
                disk("vdb", DiskJobState.RUNNING, 1, 100)), at(2));

        assertThat(job.disks()).extracting(DiskJob::disk).containsExactly("vda", "vdb");
    }

    private static BackupJob endedIn(JobState end) {
        BackupJob job = running(BackupMode.PUSH, "vda");
        switch (end) {
            case COMPLETED -> job.apply(report(2, BackupJobState.COMPLETED,
                    disk("vda", DiskJobState.COMPLETE, 100, 100)), at(2));
            case FAILED -> job.apply(report(2, BackupJobState.FAILED, failedDisk("vda", "boom")), at(2));
            default -> job.apply(report(2, BackupJobState.CANCELLED,
                    disk("vda", DiskJobState.CANCELLED, 10, 100)), at(2));
        }
        assertThat(job.state()).isEqualTo(end);
        return job;
    }
}
