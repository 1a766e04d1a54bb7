package io.cairn.backup.service.job;

import static io.cairn.backup.service.job.JobFixture.at;
import static io.cairn.backup.service.job.JobFixture.disk;
import static io.cairn.backup.service.job.JobFixture.queued;
import static io.cairn.backup.service.job.JobFixture.report;
import static io.cairn.backup.service.job.JobFixture.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.model.BackupMode;
import org.junit.jupiter.api.Test;

/**
 * Which command a job's backup-completed answers. Before, it always carried the begin's commandId, so a client that
 * sent backup.abort and waited for an event with its own commandId waited forever.
 */
class AbortAnswersTest {

    @Test
    void theUsersAbortThatEndsARunningJobIsTheCommandItsCompletionAnswers() {
        BackupJob job = running(BackupMode.PULL, "vda");
        assertThat(job.abort(at(10), "abort-1")).isEqualTo(AbortOutcome.SEND_ABORT_TO_AGENT);
        job.apply(report(2, BackupJobState.CANCELLED, disk("vda", DiskJobState.CANCELLED, 5, 100)), at(11));

        BackupCompletedEvent completed = completion(job);
        assertThat(completed.commandId()).isEqualTo("abort-1");
        assertThat(completed.beginCommandId()).isEqualTo(job.commandId());
        assertThat(completed.jobId()).isEqualTo(job.jobId());
    }

    @Test
    void aSecondAbortOfTheSameJobIsRefusedSoEachAbortHasOneAnswer() {
        BackupJob job = running(BackupMode.PULL, "vda");
        job.abort(at(10), "abort-1");
        assertThat(job.abort(at(11), "abort-2")).isEqualTo(AbortOutcome.ALREADY_REQUESTED);
        assertThat(job.abortCommandId()).contains("abort-1");
    }

    @Test
    void aUsersAbortAfterTheServicesOwnAbortGetsTheCompletion() {
        BackupJob job = running(BackupMode.PULL, "vda");
        job.abort(at(10)); // the pull time-to-live
        assertThat(job.abort(at(11), "abort-1")).isEqualTo(AbortOutcome.ALREADY_REQUESTED_ANSWERS_THIS);
        job.apply(report(2, BackupJobState.CANCELLED, disk("vda", DiskJobState.CANCELLED, 5, 100)), at(12));
        assertThat(completion(job).commandId()).isEqualTo("abort-1");
    }

    @Test
    void aJobThatEndsOnItsOwnAnswersItsBegin() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", DiskJobState.COMPLETE, 100, 100)), at(5));
        assertThat(completion(job).commandId()).isEqualTo(job.commandId());
        assertThat(completion(job).beginCommandId()).isEqualTo(job.commandId());
    }

    @Test
    void cancellingAQueuedJobAnswersTheAbortAtOnce() {
        BackupJob job = queued(BackupMode.PUSH, "vda");
        assertThat(job.abort(at(1), "abort-q")).isEqualTo(AbortOutcome.CANCELLED_BEFORE_START);
        assertThat(completion(job).commandId()).isEqualTo("abort-q");
    }

    @Test
    void theAbortingCommandSurvivesStorage() {
        BackupJob job = running(BackupMode.PULL, "vda");
        job.abort(at(10), "abort-1");
        assertThat(BackupJob.restore(job.snapshot()).abortCommandId()).contains("abort-1");
    }

    private static BackupCompletedEvent completion(BackupJob job) {
        return job.completion().orElseThrow().toEvent("e", at(20), job.domain(),
                job.abortCommandId().orElse(job.commandId()), job.commandId(), job.jobId());
    }
}
