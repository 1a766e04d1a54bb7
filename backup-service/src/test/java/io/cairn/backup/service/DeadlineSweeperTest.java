package io.cairn.backup.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.service.job.BackupJob;
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
 * Bounded lifetimes against the real database and broker: a job whose agent went silent is failed with one
 * backup-completed, and a pull backup past its time to live is marked for abort (the agent's report then ends it).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class DeadlineSweeperTest {
    @Inject
    BackupJobStore store;

    @Inject
    DeadlineSweeper sweeper;

    private TopicProbe probe;

    @BeforeEach
    void watch() {
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
            var completed = probe.awaitCount(r -> r.value().contains("\"jobId\":\"" + silent.jobId() + "\"")
                    && r.value().contains("backup-completed"), 1, Duration.ofSeconds(30));
            assertThat(completed).as("one backup-completed for the silent job").hasSize(1);
            assertThat(completed.get(0).value()).contains("\"status\":\"failed\"").contains("\"success\":false");
        });
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
