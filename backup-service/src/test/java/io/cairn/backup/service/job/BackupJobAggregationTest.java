package io.cairn.backup.service.job;

import static io.cairn.backup.service.job.JobFixture.at;
import static io.cairn.backup.service.job.JobFixture.disk;
import static io.cairn.backup.service.job.JobFixture.failedDisk;
import static io.cairn.backup.service.job.JobFixture.report;
import static io.cairn.backup.service.job.JobFixture.running;
import static io.cairn.events.agent.DiskJobState.CANCELLED;
import static io.cairn.events.agent.DiskJobState.CANCELLING;
import static io.cairn.events.agent.DiskJobState.COMPLETE;
import static io.cairn.events.agent.DiskJobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.model.BackupMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libvirt's aggregation rule as disks end one report at a time, in different orders, in push and pull jobs. */
class BackupJobAggregationTest {

    @Test
    void pushOneDiskCancelledByAbortEndsCancelled() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.abort(at(2));

        job.apply(report(2, BackupJobState.RUNNING, disk("vda", CANCELLING, 40, 100)), at(3));
        ReportOutcome end = job.apply(report(3, BackupJobState.CANCELLED, disk("vda", CANCELLED, 40, 100)), at(4));

        assertThat(end.ended()).isTrue();
        assertCompletion(job, BackupCompletionStatus.CANCELLED, false);
    }

    @Test
    void pullOneDiskAbortedEndsCompletedWithSuccess() {
        BackupJob job = running(BackupMode.PULL, "vda");
        job.abort(at(2));

        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", CANCELLED, 7, 100)), at(3));

        assertCompletion(job, BackupCompletionStatus.COMPLETED, true);
        assertThat(job.firstError()).isEmpty();
    }

    @Test
    void pullOneDiskFailedEndsFailed() {
        BackupJob job = running(BackupMode.PULL, "vda");

        job.apply(report(2, BackupJobState.FAILED, failedDisk("vda", "scratch full")), at(2));

        assertCompletion(job, BackupCompletionStatus.FAILED, false);
        assertThat(job.completion().orElseThrow().errmsg()).isEqualTo("scratch full");
    }

    @Test
    void pushTwoDisksFirstFailsThenTheOtherIsCancelledAndTheJobFails() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");

        ReportOutcome firstEnds = job.apply(report(2, BackupJobState.RUNNING, failedDisk("vda", "I/O error"),
                disk("vdb", RUNNING, 30, 100)), at(2));

        assertThat(firstEnds.disksToCancel()).containsExactly("vdb");
        assertThat(firstEnds.ended()).isFalse();
        assertThat(job.disk("vdb").orElseThrow().state()).isEqualTo(CANCELLING);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);

        ReportOutcome secondEnds = job.apply(report(3, BackupJobState.FAILED, failedDisk("vda", "I/O error"),
                disk("vdb", CANCELLED, 30, 100)), at(3));

        assertThat(secondEnds.ended()).isTrue();
        assertThat(secondEnds.disksToCancel()).isEmpty();
        assertCompletion(job, BackupCompletionStatus.FAILED, false);
        assertThat(job.completion().orElseThrow().errmsg()).isEqualTo("I/O error");
    }

    @Test
    void pushTwoDisksOneCompletesFirstTheOtherFailsLater() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");

        ReportOutcome first = job.apply(report(2, BackupJobState.RUNNING, disk("vda", COMPLETE, 100, 100),
                disk("vdb", RUNNING, 50, 100)), at(2));
        job.apply(report(3, BackupJobState.FAILED, disk("vda", COMPLETE, 100, 100),
                failedDisk("vdb", "target gone")), at(3));

        assertThat(first.disksToCancel()).as("a completed disk cancels nothing").isEmpty();
        assertCompletion(job, BackupCompletionStatus.FAILED, false);
    }

    @Test
    void pushTwoDisksCancelledOneCompletesBeforeTheCancelLandsStillCancelled() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");

        ReportOutcome first = job.apply(report(2, BackupJobState.RUNNING, disk("vda", CANCELLED, 10, 100),
                disk("vdb", RUNNING, 90, 100)), at(2));
        job.apply(report(3, BackupJobState.CANCELLED, disk("vda", CANCELLED, 10, 100),
                disk("vdb", COMPLETE, 100, 100)), at(3));

        assertThat(first.disksToCancel()).containsExactly("vdb");
        assertThat(job.disk("vdb").orElseThrow().state()).isEqualTo(COMPLETE);
        assertCompletion(job, BackupCompletionStatus.CANCELLED, false);
    }

    @Test
    void pullTwoDisksAbortedOneByOneEndsCompletedOnlyAfterTheLast() {
        BackupJob job = running(BackupMode.PULL, "vda", "vdb");
        job.abort(at(2));

        ReportOutcome first = job.apply(report(2, BackupJobState.RUNNING, disk("vda", CANCELLED, 5, 100),
                disk("vdb", CANCELLING, 6, 100)), at(3));
        assertThat(first.ended()).isFalse();
        assertThat(first.disksToCancel()).as("vdb is already cancelling").isEmpty();

        ReportOutcome last = job.apply(report(3, BackupJobState.COMPLETED, disk("vda", CANCELLED, 5, 100),
                disk("vdb", CANCELLED, 6, 100)), at(4));

        assertThat(last.ended()).isTrue();
        assertCompletion(job, BackupCompletionStatus.COMPLETED, true);
    }

    @Test
    void pullTwoDisksOneFailsTheOtherIsCancelledAndTheJobFails() {
        BackupJob job = running(BackupMode.PULL, "vda", "vdb");

        ReportOutcome first = job.apply(report(2, BackupJobState.RUNNING, disk("vda", RUNNING, 5, 100),
                failedDisk("vdb", "No space left on device")), at(2));
        job.apply(report(3, BackupJobState.FAILED, disk("vda", CANCELLED, 5, 100),
                failedDisk("vdb", "No space left on device")), at(3));

        assertThat(first.disksToCancel()).containsExactly("vda");
        assertCompletion(job, BackupCompletionStatus.FAILED, false);
    }

    @Test
    void pushThreeDisksMiddleFailsTheRunningOnesAreCancelledAndTheCompletedOneStays() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb", "vdc");
        job.apply(report(2, BackupJobState.RUNNING, disk("vda", COMPLETE, 100, 100), disk("vdb", RUNNING, 5, 100),
                disk("vdc", RUNNING, 5, 100)), at(2));

        ReportOutcome failure = job.apply(report(3, BackupJobState.RUNNING, disk("vda", COMPLETE, 100, 100),
                failedDisk("vdb", "I/O error"), disk("vdc", RUNNING, 8, 100)), at(3));

        assertThat(failure.disksToCancel()).containsExactly("vdc");
        assertThat(job.disks()).extracting(DiskJob::state).containsExactly(COMPLETE,
                io.cairn.events.agent.DiskJobState.FAILED, CANCELLING);

        job.apply(report(4, BackupJobState.FAILED, disk("vda", COMPLETE, 100, 100), failedDisk("vdb", "I/O error"),
                disk("vdc", CANCELLED, 8, 100)), at(4));
        assertCompletion(job, BackupCompletionStatus.FAILED, false);
    }

    @Test
    void pushThreeDisksCompleteInAnyOrderEndsCompletedOnlyWithTheLast() {
        for (List<String> order : List.of(List.of("vda", "vdb", "vdc"), List.of("vdc", "vda", "vdb"),
                List.of("vdb", "vdc", "vda"))) {
            BackupJob job = running(BackupMode.PUSH, "vda", "vdb", "vdc");
            long sequence = 2;
            for (int done = 1; done <= 3; done++) {
                List<String> finished = order.subList(0, done);
                DiskJobReport[] disks = List.of("vda", "vdb", "vdc").stream()
                        .map(d -> finished.contains(d) ? disk(d, COMPLETE, 100, 100) : disk(d, RUNNING, 50, 100))
                        .toArray(DiskJobReport[]::new);
                ReportOutcome outcome = job.apply(report(sequence++, BackupJobState.RUNNING, disks), at(sequence));
                assertThat(outcome.ended()).as("order %s after %d", order, done).isEqualTo(done == 3);
            }
            assertCompletion(job, BackupCompletionStatus.COMPLETED, true);
        }
    }

    @Test
    void pullThreeDisksTwoFailTogetherFirstErrorInDiskOrderIsKept() {
        BackupJob job = running(BackupMode.PULL, "vda", "vdb", "vdc");

        ReportOutcome outcome = job.apply(report(2, BackupJobState.RUNNING, failedDisk("vda", "first"),
                failedDisk("vdb", "second"), disk("vdc", RUNNING, 1, 100)), at(2));

        assertThat(outcome.disksToCancel()).containsExactly("vdc");
        job.apply(report(3, BackupJobState.FAILED, failedDisk("vda", "first"), failedDisk("vdb", "second"),
                disk("vdc", CANCELLED, 1, 100)), at(3));
        assertThat(job.completion().orElseThrow().errmsg()).isEqualTo("first");
    }

    @Test
    void pullThreeDisksAllCancelledTogetherCompletes() {
        BackupJob job = running(BackupMode.PULL, "vda", "vdb", "vdc");
        job.abort(at(2));

        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", CANCELLED, 1, 100), disk("vdb", CANCELLED, 2, 100),
                disk("vdc", CANCELLED, 3, 100)), at(3));

        assertCompletion(job, BackupCompletionStatus.COMPLETED, true);
    }

    @Test
    void pushThreeDisksAllCancelledTogetherIsCancelled() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb", "vdc");
        job.abort(at(2));

        job.apply(report(2, BackupJobState.CANCELLED, disk("vda", CANCELLED, 1, 100), disk("vdb", CANCELLED, 2, 100),
                disk("vdc", CANCELLED, 3, 100)), at(3));

        assertCompletion(job, BackupCompletionStatus.CANCELLED, false);
    }

    private static void assertCompletion(BackupJob job, BackupCompletionStatus status, boolean success) {
        CompletionSummary completion = job.completion().orElseThrow();
        assertThat(completion.status()).isEqualTo(status);
        assertThat(completion.success()).isEqualTo(success);
        assertThat(job.state().isTerminal()).isTrue();
    }
}
