package io.cairn.backup.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.cairn.backup.service.job.AdmissionTicket;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Replicas admitting at the same moment (here: concurrent admissions, each in its own transaction, as replicas'
 * would be) hand out a host's slots once: the per-host limit holds in the database, not just in one memory.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class ClusterWideAdmissionTest {
    private static final int CONTENDERS = 6;

    @Inject
    BackupJobStore store;

    @Inject
    Admission admission;

    @Inject
    AgroalDataSource database;

    @Test
    void concurrentAdmissionsNeverGiveOutMoreThanTheHostsSlots() throws Throwable {
        endActiveJobsOnMadeUpHosts();
        String host = "admission-host-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 6; i++) {
            BackupJob job = TestJobs.pushJob("adm-vm-" + UUID.randomUUID().toString().substring(0, 8), host);
            VertxContextSupport.subscribeAndAwait(() -> store.create(job));
        }

        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<List<AdmissionTicket>>> rounds = new ArrayList<>();
        for (int i = 0; i < CONTENDERS; i++) {
            rounds.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return VertxContextSupport.subscribeAndAwait(() -> admission.admitWaiting());
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        go.countDown();
        List<String> admitted = new ArrayList<>();
        for (CompletableFuture<List<AdmissionTicket>> round : rounds) {
            round.join().stream().filter(t -> t.hostId().equals(host)).forEach(t -> admitted.add(t.jobId()));
        }
        pool.shutdown();

        // cairn.backup.max-per-host = 2: two admissions in all, each job once, and the database agrees.
        assertThat(admitted).hasSize(2).doesNotHaveDuplicates();
        assertThat(countOnHost(host, "STARTING")).isEqualTo(2);
        assertThat(countOnHost(host, "QUEUED")).isEqualTo(4);
        endActiveJobsOnMadeUpHosts();
    }

    private int countOnHost(String host, String state) throws Exception {
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(
                "select count(*) from backup_job where host_id = ? and state = ?")) {
            statement.setString(1, host);
            statement.setString(2, state);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Jobs other tests left active on hosts that do not exist hold fleet slots: end them first. */
    private void endActiveJobsOnMadeUpHosts() throws Exception {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "ClusterWideAdmissionTest");
    }
}
