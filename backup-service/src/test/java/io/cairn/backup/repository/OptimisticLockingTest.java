package io.cairn.backup.repository;

import io.cairn.core.failure.Failures;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backup.mapping.BackupJobMapper;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupMode;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A write based on an outdated row is refused by the version column, and recognised as a lost race (which the store
 * retries) rather than a real error.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class OptimisticLockingTest {
    private static final Instant T0 = Instant.parse("2026-11-25T21:00:00Z");

    @Inject
    BackupJobRepository repository;

    @Inject
    BackupJobMapper mapper;

    @Inject
    Pool otherConnection;

    @Test
    @RunOnVertxContext
    void aWriteOverAConcurrentChangeIsRefusedAsALostRace(UniAsserter asserter) {
        String id = UUID.randomUUID().toString();
        BackupJob job = BackupJob.queue(new JobRequest(id, "vm-" + id, "host-a", "cmd-" + id,
                new BackupDefinition(BackupMode.PUSH, null, null, null), null, false), T0);

        asserter.execute(() -> Panache.withTransaction(() -> repository.nextArrival()
                .chain(arrival -> repository.persist(mapper.toNewEntity(job, arrival)))));
        asserter.assertFailedWith(() -> Panache.withTransaction(() -> repository.findById(id)
                // another instance changes the job between our read and our write
                .call(row -> otherConnection
                        .preparedQuery("update backup_job set version = version + 1 where job_id = $1")
                        .execute(Tuple.of(id)))
                .invoke(row -> row.error = "written over a newer version")),
                failure -> assertThat(Failures.isConflict(failure))
                        .as("lost race: %s", failure).isTrue());
        asserter.assertThat(() -> Panache.withSession(() -> repository.findById(id)), row -> {
            assertThat(row.error).isNull();
            assertThat(row.version).isEqualTo(1L);
        });
    }
}
