package io.cairn.backup.service.job;

import static io.cairn.backup.service.job.JobFixture.T0;
import static io.cairn.backup.service.job.JobFixture.at;
import static io.cairn.backup.service.job.JobFixture.disk;
import static io.cairn.backup.service.job.JobFixture.failedDisk;
import static io.cairn.backup.service.job.JobFixture.report;
import static io.cairn.backup.service.job.JobFixture.running;
import static io.cairn.backup.service.job.JobFixture.starting;
import static io.cairn.events.agent.DiskJobState.CANCELLED;
import static io.cairn.events.agent.DiskJobState.COMPLETE;
import static io.cairn.events.agent.DiskJobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.BackupJobState;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.model.BackupMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libvirt's job statistics from disk progress, the completed event's content, and progress throttling. */
class JobStatisticsTest {

    @Test
    void pushCountsBytesCopiedAcrossDisks() {
        BackupStatistics stats = JobStatistics.of(BackupMode.PUSH, List.of(
                new DiskJob("vda", RUNNING, 30, 100, null), new DiskJob("vdb", COMPLETE, 50, 50, null)),
                Duration.ofMillis(1500));

        assertThat(stats).isEqualTo(new BackupStatistics(150L, 80L, 70L, null, null, 1500L));
    }

    @Test
    void pullCountsScratchInUse() {
        BackupStatistics stats = JobStatistics.of(BackupMode.PULL, List.of(
                new DiskJob("vda", RUNNING, 4, 100, null), new DiskJob("vdb", RUNNING, 6, 200, null)),
                Duration.ofSeconds(2));

        assertThat(stats).isEqualTo(new BackupStatistics(null, null, null, 10L, 300L, 2000L));
    }

    @Test
    void withoutDiskProgressOnlyTheElapsedTimeIsReported() {
        assertThat(JobStatistics.of(BackupMode.PUSH, List.of(), Duration.ofSeconds(3)))
                .isEqualTo(new BackupStatistics(null, null, null, null, null, 3000L));
    }

    @Test
    void aRunningJobsStatisticsFollowItsReports() {
        BackupJob job = running(BackupMode.PUSH, "vda", "vdb");

        job.apply(report(2, BackupJobState.RUNNING, disk("vda", RUNNING, 25, 100), disk("vdb", RUNNING, 75, 100)),
                at(4));

        assertThat(job.statistics()).isEqualTo(BackupStatistics.push(200, 100, 4000));
    }

    @Test
    void elapsedTimeCountsFromTheStartNotFromTheRequest() {
        BackupJob job = JobFixture.queued(BackupMode.PUSH, "vda");
        job.start(at(60));

        job.apply(report(1, BackupJobState.RUNNING, disk("vda", RUNNING, 0, 100)), at(61));

        assertThat(job.statistics().timeElapsed()).isEqualTo(1000L);
    }

    @Test
    void finalStatisticsAreFrozenAtTheEnd() {
        BackupJob job = running(BackupMode.PULL, "vda");
        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", CANCELLED, 12, 100)), at(30));

        job.apply(report(3, BackupJobState.RUNNING, disk("vda", RUNNING, 99, 100)), at(90));

        assertThat(job.completion().orElseThrow().statistics())
                .isEqualTo(BackupStatistics.pull(12, 100, Duration.ofSeconds(30).toMillis()));
    }

    @Test
    void theCompletedEventCarriesTheJobsVerdict() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.apply(report(2, BackupJobState.FAILED, failedDisk("vda", "I/O error")), at(8));

        BackupCompletedEvent event = job.completion().orElseThrow()
                .toEvent("evt-1", at(8), job.domain(), job.commandId(), job.commandId(), job.jobId());

        assertThat(event).isEqualTo(new BackupCompletedEvent("evt-1", at(8), JobFixture.DOMAIN, "cmd-1",
                JobFixture.JOB, BackupCompletionStatus.FAILED, false, "I/O error",
                BackupStatistics.push(100, 10, 8000), "cmd-1"));
    }

    @Test
    void progressIsDueOnlyWhileRunningAndAtMostOncePerInterval() {
        Duration interval = Duration.ofSeconds(5);
        BackupJob job = starting(BackupMode.PUSH, "vda");
        assertThat(job.isProgressDue(T0, interval)).as("not running yet").isFalse();

        job.apply(report(1, BackupJobState.RUNNING, disk("vda", RUNNING, 0, 100)), at(1));
        assertThat(job.isProgressDue(at(1), interval)).isTrue();
        job.progressPublished(at(1));

        assertThat(job.isProgressDue(at(5), interval)).isFalse();
        assertThat(job.isProgressDue(at(6), interval)).isTrue();

        job.apply(report(2, BackupJobState.COMPLETED, disk("vda", COMPLETE, 100, 100)), at(7));
        assertThat(job.isProgressDue(at(60), interval)).as("ended").isFalse();
    }
}
