package io.cairn.backup.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: 100 full push backups of 20 guest-less QEMUs under 3 host agents, through one backup-service process.
 * A domain allows one backup job at a time (a second begin while one is queued or running is refused with
 * VIR_ERR_OPERATION_INVALID), so every domain's first begin goes out at once and each next round the moment the
 * previous one's backup-completed is consumed: 20 requests in flight, 100 in all. Asserts that all complete and that
 * the job table never shows more than max-per-host jobs holding a slot on one host or max-in-fleet in the fleet;
 * prints wall time, throughput and the control plane's CPU time and peak RSS. Runs only with
 * {@code -Dgroups=benchmark}.
 */
@Tag("benchmark")
class ManyJobsBenchmarkTest {
    private static final int AGENTS = 3;
    private static final int DOMAINS = 20;
    private static final int ROUNDS = 5;
    private static final long DISK = 16L << 20;
    private static final Duration WAIT = Duration.ofMinutes(15);
    private static final long THROTTLE = 4L << 20;


    /** As fast as the machine goes: the figures for throughput and the control plane's cost. */
    @Test
    void hundredPushBackupsAsFastAsTheyGo() throws Exception {
        scenario("unthrottled");
    }

    /**
     * Each backup job limited to {@value #THROTTLE} bytes/s in QEMU, so every copy lasts seconds and the queue, not
     * the CPU, decides how many run: the limits must then be reached, and never exceeded.
     */
    @Test
    void hundredThrottledPushBackupsFillButNeverExceedTheLimits() throws Exception {
        List<JobInterval> jobs = scenario("throttled", "-Dcairn.agent.job-speed=" + THROTTLE);
        assertThat(Concurrency.peak(jobs, job -> true)).as("the fleet limit was reached")
                .isEqualTo(ControlPlane.MAX_IN_FLEET);
    }

    private List<JobInterval> scenario(String label, String... agentProperties) throws Exception {
        Figures.print("many-jobs benchmark (%s) starts", label);
        try (ControlPlane plane = new ControlPlane().start()) {
            List<AgentProcess> agents = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                agents.add(plane.startAgent(agentProperties));
            }
            List<GuestlessQemu> vms = new ArrayList<>();
            try {
                for (int i = 0; i < DOMAINS; i++) {
                    AgentProcess agent = agents.get(i % AGENTS);
                    GuestlessQemu vm = GuestlessQemu.builder(agent.storageDir()).domain("mj-" + plane.runId() + "-"
                            + i).disk("vda", DISK, new PatternWrite(0x5a, 0, DISK)).start();
                    vms.add(vm);
                    agent.adopt(vm.domain(), vm.qmpSocket());
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> vms.stream()
                        .allMatch(vm -> plane.sees(vm.domain(), null)));
                return run(label, plane, agents, vms);
            } finally {
                vms.forEach(GuestlessQemu::close);
            }
        }
    }

    /** Nanoseconds from one instant of each job to another (same machine, same wall clock); jobs lacking one skip. */
    private static List<Long> between(List<JobInterval> jobs, Function<JobInterval, Instant> from,
            Function<JobInterval, Instant> to) {
        return jobs.stream().filter(job -> from.apply(job) != null && to.apply(job) != null)
                .map(job -> Duration.between(from.apply(job), to.apply(job)).toNanos()).toList();
    }

    private List<JobInterval> run(String label, ControlPlane plane, List<AgentProcess> agents,
            List<GuestlessQemu> vms) throws Exception {
        String tag = "many jobs " + label + ":";
        ControlPlaneUsage before = ControlPlaneUsage.of(plane, agents);
        String load = Figures.load();
        RoundsDriver.Outcome outcome;
        try (BackupEventClock clock = new BackupEventClock(plane.bootstrap(), plane.commandTopic(),
                "bench-" + plane.runId() + "-")) {
            outcome = new RoundsDriver(clock, "bench-" + plane.runId() + "-", ROUNDS)
                    .drive(vms.stream().map(GuestlessQemu::domain).toList(), WAIT);
        }
        ControlPlaneUsage after = ControlPlaneUsage.of(plane, agents);
        List<JobInterval> jobs = plane.database().jobIntervals();
        int fleetPeak = Concurrency.peak(jobs, job -> true);
        Map<String, Integer> hostPeaks = Concurrency.peakPerHost(jobs);

        double wall = outcome.wallNanos() / 1e9;
        Figures.print("%s %d of %d full pushes of %d MiB completed (%d domains, %d agents, %d in flight) in %.1f s "
                + "wall: %.2f backups/s, %.1f MiB/s (load at start: %s)", tag, outcome.completed(), DOMAINS * ROUNDS,
                DISK >> 20, DOMAINS, AGENTS, DOMAINS, wall, outcome.completed() / wall,
                outcome.completed() * (DISK >> 20) / wall, load);
        Figures.print("%s per backup, begin published -> backup-completed consumed (queueing included): median %.0f ms,"
                + " max %.0f ms", tag, Figures.medianMillis(outcome.toCompletedNanos()),
                Figures.maxMillis(outcome.toCompletedNanos()));
        Figures.print("%s peak jobs holding a slot (job table started_at..ended_at): fleet %d (limit %d), per host %s "
                + "(limit %d)", tag, fleetPeak, ControlPlane.MAX_IN_FLEET, hostPeaks.values(),
                ControlPlane.MAX_PER_HOST);
        List<Long> holds = jobs.stream().map(JobInterval::holdNanos).filter(n -> n >= 0).toList();
        List<Long> waits = jobs.stream().map(JobInterval::waitNanos).filter(n -> n >= 0).toList();
        Figures.print("%s slot held (started_at..ended_at) median %.0f ms, max %.0f ms; queued (requested_at.."
                + "started_at) median %.0f ms, max %.0f ms; mean jobs holding a slot %.2f", tag,
                Figures.medianMillis(holds), Figures.maxMillis(holds), Figures.medianMillis(waits),
                Figures.maxMillis(waits), Concurrency.mean(jobs));
        List<Long> intake = between(jobs, job -> outcome.published().get(job.commandId()), JobInterval::requestedAt);
        List<Long> delivery = between(jobs, JobInterval::endedAt, job -> outcome.completedAt().get(job.commandId()));
        Figures.print("%s begin published -> job stored (requested_at): median %.0f ms, max %.0f ms; job ended "
                + "(ended_at) -> backup-completed consumed: median %.0f ms, max %.0f ms", tag,
                Figures.medianMillis(intake), Figures.maxMillis(intake), Figures.medianMillis(delivery),
                Figures.maxMillis(delivery));
        after.printSince(before, tag, wall, outcome.completed());

        assertThat(outcome.failures()).as("failed or refused backups").isEmpty();
        assertThat(outcome.completed()).as("backups completed within %s", WAIT).isEqualTo((long) DOMAINS * ROUNDS);
        assertThat(jobs).as("jobs in the job table").hasSize(DOMAINS * ROUNDS)
                .allSatisfy(job -> assertThat(job.state()).isEqualTo("COMPLETED"));
        assertThat(fleetPeak).as("jobs holding a slot at once in the fleet")
                .isLessThanOrEqualTo(ControlPlane.MAX_IN_FLEET);
        assertThat(hostPeaks.values()).as("jobs holding a slot at once per host")
                .allSatisfy(peak -> assertThat(peak).isLessThanOrEqualTo(ControlPlane.MAX_PER_HOST));
        return jobs;
    }
}
