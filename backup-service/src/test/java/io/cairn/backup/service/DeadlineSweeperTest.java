package io.cairn.backup.service;

import io.cairn.testing.stack.KafkaProvisioner;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.BackupJobSnapshot;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.HostInventory;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.backup.service.job.JobState;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bounded lifetimes against the real database and broker: a job whose agent went silent while it was starting is
 * failed and its begin answered with command-rejected (it never started), and a pull backup past its time to live is marked for
 * abort (the agent's report then ends it).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class DeadlineSweeperTest {
    @Inject
    BackupJobStore store;

    @Inject
    DeadlineSweeper sweeper;

    @Inject
    HostDirectory hosts;

    private TopicProbe probe;

    @BeforeEach
    void watch() {
        // The jobs' host: onboarded (its topics exist), its agent never runs.
        KafkaProvisioner.onboardHost(LocalStack.ensureRunning().kafkaBootstrap(), "host-sweep");
        probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.BACKUP_EVENTS);
    }

    @AfterEach
    void close() {
        probe.close();
    }

    @Test
    @RunOnVertxContext
    void aSilentAgentsJobFailsAndAnExpiredPullIsAborted(UniAsserter asserter) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        BackupJob silent = job(BackupMode.PUSH, now.minus(Duration.ofMinutes(10)));
        silent.start(now.minus(Duration.ofMinutes(10)));
        BackupJob expired = job(BackupMode.PULL, now.minus(Duration.ofHours(3)));
        expired.start(now.minus(Duration.ofHours(3)));
        expired.apply(new BackupJobReport(expired.jobId(), "host-sweep", expired.domain(), null, 1,
                BackupJobState.RUNNING, List.of(new DiskJobReport("vda", DiskJobState.RUNNING, 0, 1 << 20, null)),
                null, null, null, now.minusSeconds(5)), now.minusSeconds(5));

        // Its agent is alive (its host's inventory is fresh) but says nothing of the job: the agent lost it.
        hosts.remember(new HostInventory("host-sweep", Instant.now(), List.of()));
        asserter.execute(() -> store.create(silent));
        asserter.execute(() -> store.create(expired));
        asserter.execute(() -> sweeper.sweepNow());
        asserter.assertThat(() -> store.find(silent.jobId()), found -> {
            assertThat(found).get().extracting(BackupJob::state).isEqualTo(JobState.FAILED);
            assertThat(found.get().firstError()).get().asString().contains("sent no report for");
        });
        asserter.assertThat(() -> store.find(expired.jobId()), found -> {
            assertThat(found.get().state()).as("still running until the agent reports the abort")
                    .isEqualTo(JobState.RUNNING);
            assertThat(found.get().abortRequested()).isPresent();
        });
        asserter.execute(() -> {
            // It never reported, so it never started: its begin is answered (the soak found a begin left without
            // any outcome when its job was lost while starting), and no backup-completed follows a job never announced.
            var rejected = probe.awaitCount(r -> r.value().contains("\"commandId\":\"" + silent.commandId() + "\"")
                    && r.value().contains("command-rejected"), 1, Duration.ofSeconds(30));
            assertThat(rejected).as("the begin's one outcome").hasSize(1);
            assertThat(rejected.get(0).value()).contains("VIR_ERR_OPERATION_FAILED").contains("never started")
                    .contains("sent no report for");
            assertThat(probe.seen(r -> r.value().contains("\"jobId\":\"" + silent.jobId() + "\"")
                    && r.value().contains("backup-completed"))).isEmpty();
        });
    }

    /**
     * Before, a job whose agent was killed failed after the silence bound although QEMU went on and completed it: the
     * agent, back later, adopted a job Cairn had already called failed.
     */
    @Test
    @RunOnVertxContext
    void aJobWhoseAgentIsNotAliveWaitsForItUntilTheHostCountsAsLost(UniAsserter asserter) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String deadHost = "host-dead-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProvisioner.onboardHost(LocalStack.ensureRunning().kafkaBootstrap(), deadHost);
        hosts.remember(new HostInventory(deadHost, now.minus(Duration.ofMinutes(10)), List.of()));
        BackupJob waiting = onHost(job(BackupMode.PUSH, now.minus(Duration.ofMinutes(10))), deadHost);
        waiting.start(now.minus(Duration.ofMinutes(10)));
        BackupJob lost = onHost(job(BackupMode.PUSH, now.minus(Duration.ofMinutes(40))), deadHost);
        lost.start(now.minus(Duration.ofMinutes(40)));

        asserter.execute(() -> store.create(waiting));
        asserter.execute(() -> store.create(lost));
        asserter.execute(() -> sweeper.sweepNow());
        asserter.assertThat(() -> store.find(waiting.jobId()), found -> assertThat(found.get().state())
                .as("silent 10 min, agent not alive: waits for it").isEqualTo(JobState.STARTING));
        asserter.assertThat(() -> store.find(lost.jobId()), found -> {
            assertThat(found.get().state()).as("silent past host-lost").isEqualTo(JobState.FAILED);
            assertThat(found.get().firstError()).get().asString().contains("unreachable for");
        });
        asserter.execute(() -> store.update(waiting.jobId(), job -> job.cancel(Instant.now())));
    }

    private static BackupJob onHost(BackupJob job, String hostId) {
        BackupJobSnapshot s = job.snapshot();
        return BackupJob.restore(new BackupJobSnapshot(s.jobId(), s.domain(), hostId, s.commandId(), s.mode(),
                s.definition(), s.checkpoint(), s.reuseExternal(), s.state(), s.disks(), s.firstError(),
                s.statistics(), s.requestedAt(), s.startedAt(), s.endedAt(), s.lastReportAt(), s.lastSequence(),
                s.abortRequested(), s.lastProgressAt(), s.abortCommandId()));
    }

    private static BackupJob job(BackupMode mode, Instant requestedAt) {
        String domain = "sweep-vm-" + UUID.randomUUID().toString().substring(0, 8);
        BackupStore store = new BackupStore("file", "/var/lib/cairn/backups/" + domain + ".vda", "qcow2", null, null);
        BackupDefinition definition = new BackupDefinition(mode, null,
                mode == BackupMode.PULL ? new BackupServer("unix", null, null, "/run/cairn/" + domain + ".sock", null,
                        null) : null,
                List.of(new BackupDisk("vda", true, DiskBackupMode.FULL, null,
                        mode == BackupMode.PULL ? "vda" : null, null, store, null)));
        String id = UUID.randomUUID().toString();
        return BackupJob.queue(new JobRequest(id, domain, "host-sweep", "cmd-" + id, definition, null, false),
                requestedAt);
    }
}
