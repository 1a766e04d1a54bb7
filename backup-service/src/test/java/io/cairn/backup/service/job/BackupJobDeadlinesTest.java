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

import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.model.BackupMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Jobs cannot live forever: pull jobs expire, and a silent agent fails its job. */
class BackupJobDeadlinesTest {
    private static final JobLifetimes LIFETIMES = new JobLifetimes(Duration.ofMinutes(10), Duration.ofSeconds(60));

    @Test
    void aPullJobIsMarkedForAbortWhenItsTimeToLiveEnds() {
        BackupJob job = running(BackupMode.PULL, "vda");
        keepAgentTalking(job, 599);

        assertThat(job.pullExpiry(LIFETIMES)).contains(at(600));
        assertThat(job.enforceDeadlines(at(599), LIFETIMES)).isEqualTo(DeadlineVerdict.NONE);
        assertThat(job.enforceDeadlines(at(600), LIFETIMES)).isEqualTo(DeadlineVerdict.ABORT_PULL_EXPIRED);

        assertThat(job.abortRequested()).contains(at(600));
        assertThat(job.state()).as("the agent's report ends it").isEqualTo(JobState.RUNNING);
        assertThat(job.enforceDeadlines(at(601), LIFETIMES)).as("asked once").isEqualTo(DeadlineVerdict.NONE);
        assertThat(job.abort(at(602))).isEqualTo(AbortOutcome.ALREADY_REQUESTED);
    }

    @Test
    void anExpiredPullJobThatTheAgentAbortsCompletes() {
        BackupJob job = running(BackupMode.PULL, "vda");
        keepAgentTalking(job, 600);
        job.enforceDeadlines(at(600), LIFETIMES);

        job.apply(report(1000, BackupJobState.COMPLETED, disk("vda", DiskJobState.CANCELLED, 1, 100)), at(601));

        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aUserAbortBeforeTheDeadlineIsNotRepeatedByIt() {
        BackupJob job = running(BackupMode.PULL, "vda");
        job.abort(at(10));
        keepAgentTalking(job, 700);

        assertThat(job.enforceDeadlines(at(700), LIFETIMES)).isEqualTo(DeadlineVerdict.NONE);
    }

    @Test
    void pushJobsHaveNoTimeToLive() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        keepAgentTalking(job, 10_000);

        assertThat(job.pullExpiry(LIFETIMES)).isEmpty();
        assertThat(job.enforceDeadlines(at(10_000), LIFETIMES)).isEqualTo(DeadlineVerdict.NONE);
    }

    @Test
    void aSilentAgentFailsARunningJob() {
        BackupJob job = running(BackupMode.PUSH, "vda");

        assertThat(job.agentSilenceDeadline(LIFETIMES)).contains(at(61));
        assertThat(job.enforceDeadlines(at(61), LIFETIMES)).isEqualTo(DeadlineVerdict.NONE);
        assertThat(job.enforceDeadlines(at(62), LIFETIMES)).isEqualTo(DeadlineVerdict.FAILED_AGENT_SILENT);

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.completion().orElseThrow().errmsg())
                .isEqualTo("host agent on " + JobFixture.HOST + " sent no report for 61s");
    }

    @Test
    void aStartThatTheAgentNeverAnswersFailsToo() {
        BackupJob job = starting(BackupMode.PULL, "vda");

        assertThat(job.agentSilenceDeadline(LIFETIMES)).contains(T0.plusSeconds(60));
        assertThat(job.enforceDeadlines(at(61), LIFETIMES)).isEqualTo(DeadlineVerdict.FAILED_AGENT_SILENT);
        assertThat(job.state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void everyReportPushesTheSilenceDeadline() {
        BackupJob job = running(BackupMode.PUSH, "vda");
        job.apply(report(2, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 5, 100)), at(50));

        assertThat(job.agentSilenceDeadline(LIFETIMES)).contains(at(110));
        assertThat(job.enforceDeadlines(at(100), LIFETIMES)).isEqualTo(DeadlineVerdict.NONE);
    }

    @Test
    void silenceWinsOverExpiryWhenBothHavePassed() {
        BackupJob job = running(BackupMode.PULL, "vda");

        assertThat(job.enforceDeadlines(at(900), LIFETIMES)).isEqualTo(DeadlineVerdict.FAILED_AGENT_SILENT);
    }

    @Test
    void queuedAndEndedJobsHaveNoDeadlines() {
        BackupJob waiting = queued(BackupMode.PULL, "vda");
        BackupJob ended = running(BackupMode.PULL, "vda");
        ended.cancel(at(2));

        for (BackupJob job : new BackupJob[] {waiting, ended}) {
            assertThat(job.agentSilenceDeadline(LIFETIMES)).isEmpty();
            assertThat(job.pullExpiry(LIFETIMES)).isEmpty();
            assertThat(job.enforceDeadlines(at(100_000), LIFETIMES)).isEqualTo(DeadlineVerdict.NONE);
        }
        assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
        assertThat(ended.state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void lifetimesMustBePositive() {
        assertThatThrownBy(() -> new JobLifetimes(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JobLifetimes(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Sends a progress report every 30 s up to {@code untilSecond}, so silence never triggers. */
    private static void keepAgentTalking(BackupJob job, long untilSecond) {
        long sequence = 2;
        for (long second = 30; second <= untilSecond; second += 30) {
            job.apply(report(sequence++, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 1, 100)),
                    at(second));
        }
        job.apply(report(sequence, BackupJobState.RUNNING, disk("vda", DiskJobState.RUNNING, 1, 100)),
                at(untilSecond));
    }

    @Test
    void aSilentJobWhoseAgentIsAliveFailsButOneWhoseAgentIsGoneWaitsForItUntilTheHostIsLost() {
        JobLifetimes lifetimes = new JobLifetimes(Duration.ofMinutes(10), Duration.ofSeconds(60),
                Duration.ofSeconds(90), Duration.ofMinutes(30));
        BackupJob lostByLiveAgent = running(BackupMode.PUSH, "vda");
        assertThat(lostByLiveAgent.enforceDeadlines(at(62), lifetimes, at(55), null))
                .as("inventory 7 s old: the agent lives and lost the job").isEqualTo(DeadlineVerdict.FAILED_AGENT_SILENT);

        BackupJob agentKilled = running(BackupMode.PUSH, "vda");
        assertThat(agentKilled.enforceDeadlines(at(200), lifetimes, at(2), null))
                .as("no inventory for 198 s: wait for the agent to come back").isEqualTo(DeadlineVerdict.NONE);
        assertThat(agentKilled.enforceDeadlines(at(1801), lifetimes, null, null)).isEqualTo(DeadlineVerdict.NONE);
        assertThat(agentKilled.state()).isEqualTo(JobState.RUNNING);
        assertThat(agentKilled.enforceDeadlines(at(1802), lifetimes, at(2), null))
                .isEqualTo(DeadlineVerdict.FAILED_AGENT_SILENT);
        assertThat(agentKilled.firstError()).get().asString().contains("unreachable for 1801s");
    }

    /** Before, an agent back from a restart was failed by its first inventory, before it could report the job. */
    @Test
    void anAgentBackFromARestartHasTheSilenceBoundFromItsStartToReportTheJob() {
        JobLifetimes lifetimes = new JobLifetimes(Duration.ofMinutes(10), Duration.ofSeconds(60),
                Duration.ofSeconds(90), Duration.ofMinutes(30));
        BackupJob job = running(BackupMode.PUSH, "vda");
        assertThat(job.enforceDeadlines(at(300), lifetimes, at(299), at(280)))
                .as("alive again since 280: 20 s to adopt and report").isEqualTo(DeadlineVerdict.NONE);
        assertThat(job.enforceDeadlines(at(341), lifetimes, at(340), at(280)))
                .as("alive for 61 s and still silent: it lost the job").isEqualTo(DeadlineVerdict.FAILED_AGENT_SILENT);
    }
}
