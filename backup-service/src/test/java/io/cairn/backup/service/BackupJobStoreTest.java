package io.cairn.backup.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.repository.BackupJobRepository;
import io.cairn.backup.service.job.AbortOutcome;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.FairUseLimits;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.backup.service.job.JobState;
import io.cairn.backup.service.job.ReportOutcome;
import io.cairn.backup.service.job.ReportVerdict;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The job store against the real PostgreSQL: round trip, one active job per domain, finality, history, queue. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupJobStoreTest {
    // Whole seconds: PostgreSQL keeps microseconds, so these compare exactly after a reload.
    private static final Instant T0 = Instant.parse("2026-11-25T21:00:00Z");

    @Inject
    BackupJobStore store;

    @Inject
    BackupJobRepository repository;

    @Test
    @RunOnVertxContext
    void aJobSurvivesTheRoundTripUnchanged(UniAsserter asserter) {
        String domain = uniqueDomain();
        BackupJob job = pullJobWithCheckpoint(domain);
        job.start(T0.plusSeconds(1));
        job.apply(report(job, 1, BackupJobState.RUNNING,
                new DiskJobReport("vda", DiskJobState.RUNNING, 4096, 1 << 20, null),
                new DiskJobReport("vdb", DiskJobState.FAILED, 0, 1 << 20, "No space left on device")),
                T0.plusSeconds(2));
        job.abort(T0.plusSeconds(3));
        job.progressPublished(T0.plusSeconds(2));

        asserter.assertThat(() -> store.create(job), stored -> {
            assertThat(stored.created()).isTrue();
            assertThat(stored.ticket().jobId()).isEqualTo(job.jobId());
            assertThat(stored.ticket().arrival()).isPositive();
        });
        asserter.assertThat(() -> store.find(job.jobId()), found -> {
            BackupJob reloaded = found.orElseThrow();
            assertThat(reloaded.snapshot()).isEqualTo(job.snapshot());
            assertThat(reloaded.state()).isEqualTo(JobState.RUNNING);
            assertThat(reloaded.disk("vdb").orElseThrow().state()).isEqualTo(DiskJobState.FAILED);
            assertThat(reloaded.disk("vda").orElseThrow().state()).isEqualTo(DiskJobState.CANCELLING);
            assertThat(reloaded.statistics()).isEqualTo(BackupStatistics.pull(4096, 2 << 20, 1000));
            assertThat(reloaded.firstError()).contains("No space left on device");
        });
        asserter.assertThat(() -> Panache.withSession(() -> repository.findById(job.jobId())), row -> {
            assertThat(row.checkpointName).isEqualTo("c-" + domain);
            assertThat(row.statistics).contains("\"disk_temp_used\":4096");
            assertThat(row.mode).isEqualTo("PULL");
        });
    }

    @Test
    @RunOnVertxContext
    void aSecondActiveJobForADomainIsRefusedLikeLibvirt(UniAsserter asserter) {
        String domain = uniqueDomain();
        BackupJob first = pushJob(domain, T0);
        BackupJob second = pushJob(domain, T0.plusSeconds(1));

        asserter.execute(() -> store.create(first));
        asserter.assertFailedWith(() -> store.create(second), libvirtError(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                "another backup job is already running"));
        asserter.assertThat(() -> store.findActive(domain),
                active -> assertThat(active.orElseThrow().jobId()).isEqualTo(first.jobId()));
    }

    @Test
    @RunOnVertxContext
    void theDomainMayBackUpAgainOnceItsJobEnded(UniAsserter asserter) {
        String domain = uniqueDomain();
        BackupJob first = pushJob(domain, T0);
        BackupJob second = pushJob(domain, T0.plusSeconds(60));

        asserter.execute(() -> store.create(first));
        asserter.assertThat(() -> store.updateActive(domain, job -> job.abort(T0.plusSeconds(5))),
                change -> assertThat(change.result()).isEqualTo(AbortOutcome.CANCELLED_BEFORE_START));
        asserter.assertThat(() -> store.create(second), stored -> assertThat(stored.created()).isTrue());
        asserter.assertThat(() -> store.findActive(domain),
                active -> assertThat(active.orElseThrow().jobId()).isEqualTo(second.jobId()));
    }

    @Test
    @RunOnVertxContext
    void theSameCommandTwiceYieldsTheFirstJob(UniAsserter asserter) {
        String domain = uniqueDomain();
        BackupJob first = pushJob(domain, T0);
        BackupJob resent = BackupJob.queue(new JobRequest(UUID.randomUUID().toString(), domain, "host-x",
                first.commandId(), first.definition(), null, false), T0.plusSeconds(9));

        asserter.execute(() -> store.create(first));
        asserter.assertThat(() -> store.create(resent), stored -> {
            assertThat(stored.created()).isFalse();
            assertThat(stored.job().jobId()).isEqualTo(first.jobId());
        });
    }

    @Test
    @RunOnVertxContext
    void anEndedJobStaysEndedAfterAReloadAndALateReportWritesNothing(UniAsserter asserter) {
        String domain = uniqueDomain();
        BackupJob job = pushJob(domain, T0);

        asserter.execute(() -> store.create(job));
        asserter.execute(() -> store.update(job.jobId(), j -> j.start(T0.plusSeconds(1))));
        asserter.assertThat(() -> store.update(job.jobId(), j -> j.apply(report(j, 1, BackupJobState.COMPLETED,
                new DiskJobReport("vda", DiskJobState.COMPLETE, 100, 100, null)), T0.plusSeconds(2))),
                change -> assertThat(change.result().ended()).isTrue());
        asserter.assertThat(() -> Panache.withSession(() -> repository.findById(job.jobId())),
                row -> asserter.putData("version", row.version));

        asserter.assertThat(() -> store.update(job.jobId(), j -> j.apply(report(j, 2, BackupJobState.FAILED,
                new DiskJobReport("vda", DiskJobState.FAILED, 0, 100, "late")), T0.plusSeconds(3))),
                change -> assertThat(change.result()).isEqualTo(new ReportOutcome(ReportVerdict.IGNORED_JOB_ENDED,
                        false, false, List.of())));
        asserter.assertThat(() -> store.update(job.jobId(), j -> j.fail("host lost", T0.plusSeconds(4))),
                change -> assertThat(change.job().state()).isEqualTo(JobState.COMPLETED));

        asserter.assertThat(() -> store.find(job.jobId()), found -> {
            BackupJob reloaded = found.orElseThrow();
            assertThat(reloaded.state()).isEqualTo(JobState.COMPLETED);
            assertThat(reloaded.completion().orElseThrow().success()).isTrue();
            assertThat(reloaded.firstError()).isEmpty();
            assertThat(reloaded.endedAt()).contains(T0.plusSeconds(2));
        });
        asserter.assertThat(() -> Panache.withSession(() -> repository.findById(job.jobId())),
                row -> assertThat(row.version).as("ignored changes write nothing")
                        .isEqualTo((Long) asserter.getData("version")));
        asserter.assertThat(() -> store.findActive(domain), active -> assertThat(active).isEmpty());
    }

    @Test
    @RunOnVertxContext
    void historyListsADomainsJobsNewestFirst(UniAsserter asserter) {
        String domain = uniqueDomain();
        List<BackupJob> jobs = List.of(pushJob(domain, T0), pushJob(domain, T0.plusSeconds(3600)),
                pushJob(domain, T0.plusSeconds(7200)));
        for (BackupJob job : jobs) {
            asserter.execute(() -> store.create(job));
            asserter.execute(() -> store.update(job.jobId(), j -> j.fail("test", j.requestedAt().plusSeconds(1))));
        }
        asserter.execute(() -> store.create(pushJob(uniqueDomain(), T0.plusSeconds(9000))));

        asserter.assertThat(() -> store.history(domain, 10), history -> {
            assertThat(history).extracting(BackupJob::jobId)
                    .containsExactly(jobs.get(2).jobId(), jobs.get(1).jobId(), jobs.get(0).jobId());
            assertThat(history).allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.FAILED));
        });
        asserter.assertThat(() -> store.history(domain, 2), history -> assertThat(history)
                .extracting(BackupJob::jobId).containsExactly(jobs.get(2).jobId(), jobs.get(1).jobId()));
    }

    @Test
    @RunOnVertxContext
    void updatingAMissingJobAnswersLikeLibvirt(UniAsserter asserter) {
        asserter.assertFailedWith(() -> store.update("no-such-job", j -> j.cancel(T0)),
                libvirtError(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "no domain backup job present"));
        asserter.assertFailedWith(() -> store.updateActive(uniqueDomain(), j -> j.abort(T0)),
                libvirtError(VirErrorCode.VIR_ERR_OPERATION_INVALID, "no job is active on the domain"));
        asserter.assertThat(() -> store.find("no-such-job"), found -> assertThat(found).isEmpty());
    }

    @Test
    @RunOnVertxContext
    void theAdmissionQueueIsRebuiltFromActiveJobs(UniAsserter asserter) {
        String host = "host-" + UUID.randomUUID();
        BackupJob started = pushJob(uniqueDomain(), T0, host);
        BackupJob waiting = pushJob(uniqueDomain(), T0.plusSeconds(1), host);
        BackupJob ended = pushJob(uniqueDomain(), T0.plusSeconds(2), host);
        started.start(T0.plusSeconds(1));
        ended.cancel(T0.plusSeconds(3));

        asserter.execute(() -> store.create(started));
        asserter.execute(() -> store.create(waiting));
        asserter.execute(() -> store.create(ended));
        asserter.assertThat(() -> store.restoreQueue(new FairUseLimits(1, 1000)), queue -> {
            queue.admitWaiting();
            assertThat(queue.isRunning(started.jobId())).isTrue();
            assertThat(queue.runningOn(host)).isEqualTo(1);
            assertThat(queue.positionOf(waiting.jobId())).isPresent();
            assertThat(queue.jobOf(ended.domain())).isEmpty();
            assertThat(queue.jobOf(waiting.domain())).contains(waiting.jobId());
        });
    }

    private static Consumer<Throwable> libvirtError(VirErrorCode code, String message) {
        return failure -> {
            assertThat(failure).isInstanceOf(CairnException.class).hasMessage(message);
            assertThat(((CairnException) failure).code()).isEqualTo(code);
        };
    }

    private static String uniqueDomain() {
        return "vm-" + UUID.randomUUID();
    }

    private static BackupJob pushJob(String domain, Instant requestedAt) {
        return pushJob(domain, requestedAt, "host-a");
    }

    private static BackupJob pushJob(String domain, Instant requestedAt, String host) {
        BackupDefinition definition = new BackupDefinition(BackupMode.PUSH, null, null, List.of(
                new BackupDisk("vda", true, DiskBackupMode.FULL, null, null, null,
                        new BackupStore("file", "/var/lib/backup/" + domain + ".vda.qcow2", "qcow2", null, null),
                        null)));
        String id = UUID.randomUUID().toString();
        return BackupJob.queue(new JobRequest(id, domain, host, "cmd-" + id, definition, null, false), requestedAt);
    }

    private static BackupJob pullJobWithCheckpoint(String domain) {
        BackupDefinition definition = new BackupDefinition(BackupMode.PULL, "c-prev",
                new BackupServer("unix", null, null, "/run/cairn/" + domain + ".sock", null, null), List.of(
                        new BackupDisk("vda", true, DiskBackupMode.INCREMENTAL, "c-prev", "vda", "backup-vda",
                                new BackupStore("file", "/var/tmp/" + domain + ".vda.scratch", "qcow2", null, null),
                                null),
                        new BackupDisk("vdb", true, DiskBackupMode.FULL, null, "vdb", "backup-vdb", null, null)));
        CheckpointDefinition checkpoint = new CheckpointDefinition("c-" + domain, "nightly", null, null,
                List.of(new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "c-" + domain, null)), null);
        String id = UUID.randomUUID().toString();
        return BackupJob.queue(new JobRequest(id, domain, "host-a", "cmd-" + id, definition, checkpoint, true), T0);
    }

    private static BackupJobReport report(BackupJob job, long sequence, BackupJobState state,
            DiskJobReport... disks) {
        return new BackupJobReport(job.jobId(), job.hostId(), job.domain(), "req-" + job.jobId(), sequence, state,
                List.of(disks), null, null, null, T0.plusSeconds(sequence));
    }
}
