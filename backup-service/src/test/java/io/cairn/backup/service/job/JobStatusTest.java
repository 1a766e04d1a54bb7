package io.cairn.backup.service.job;

import static io.cairn.backup.service.job.JobFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.model.BackupMode;
import org.junit.jupiter.api.Test;

/** A queued job's status says where it stands in the queue; a started one's does not. */
class JobStatusTest {

    @Test
    void aQueuedJobShowsItsPositionAndTheLimitItWaitsFor() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 10));
        queue.submit(new AdmissionTicket("running", "vm-0", JobFixture.HOST, 1));
        BackupJob job = JobFixture.queued(BackupMode.PUSH, "vda");
        queue.submit(new AdmissionTicket(job.jobId(), job.domain(), job.hostId(), 2));

        JobStatus status = JobStatus.of(job, queue);

        assertThat(status.state()).isEqualTo(JobState.QUEUED);
        assertThat(status.queuePosition()).contains(new QueuePosition(1, 0, QueuePosition.Limit.HOST));
        assertThat(status.error()).isEmpty();
    }

    @Test
    void aStartedOrEndedJobHasNoQueuePosition() {
        AdmissionQueue queue = new AdmissionQueue(new FairUseLimits(1, 10));
        BackupJob job = JobFixture.queued(BackupMode.PULL, "vda");
        queue.submit(new AdmissionTicket(job.jobId(), job.domain(), job.hostId(), 1));
        job.start(T0);

        assertThat(JobStatus.of(job, queue).queuePosition()).isEmpty();
        assertThat(JobStatus.of(job, queue).state()).isEqualTo(JobState.STARTING);

        job.fail("host lost", T0.plusSeconds(1));
        JobStatus ended = JobStatus.of(job, queue);
        assertThat(ended.queuePosition()).isEmpty();
        assertThat(ended.error()).contains("host lost");
        assertThat(ended.mode()).isEqualTo(BackupMode.PULL);
    }
}
