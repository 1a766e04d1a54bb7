package io.cairn.backup.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.cairn.backup.service.Admission;
import io.cairn.backup.service.BackupJobStore;
import io.cairn.backup.service.StoredJob;
import io.cairn.backup.service.TestJobs;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * libvirt's backup API over REST against the real database: lookups answer with libvirt's errors and statuses, a
 * queued job says where it waits and why, the running job's XML is libvirt's, and begin/abort go through the
 * command handler.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupResourceTest {
    @Inject
    BackupJobStore store;

    @Inject
    Admission admission;

    @Inject
    AgroalDataSource database;

    @Test
    void lookupsWithoutAJobAnswerWithLibvirtsErrors() {
        String domain = "rest-vm-" + UUID.randomUUID().toString().substring(0, 8);
        given().get("/api/v1/domains/{domain}/backup", domain).then().statusCode(404)
                .body("code", equalTo("VIR_ERR_NO_DOMAIN_BACKUP"))
                .body("message", equalTo("no domain backup job present"));
        given().get("/api/v1/backup/jobs/{id}", "nosuch").then().statusCode(404)
                .body("code", equalTo("VIR_ERR_NO_DOMAIN_BACKUP"));
        given().get("/api/v1/domains/{domain}/backup/jobs", domain).then().statusCode(200).body("", hasSize(0));
        given().delete("/api/v1/domains/{domain}/backup", domain).then().statusCode(409)
                .body("code", equalTo("VIR_ERR_OPERATION_INVALID"))
                .body("message", equalTo("no job is active on the domain"));
    }

    @Test
    void aBeginIsCheckedByTheSameHandlerAsOverKafka() {
        String domain = "rest-vm-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/domains/{domain}/backup", domain)
                .then().statusCode(400).body("code", equalTo("VIR_ERR_INVALID_ARG"))
                .body("message", containsString("give exactly one of backupXml and backup"));
        String key = "rest-begin-" + UUID.randomUUID();
        for (int attempt = 0; attempt < 2; attempt++) {
            // The same Idempotency-Key twice: the same answer, from the recorded outcome the second time.
            given().header("Idempotency-Key", key).contentType(ContentType.JSON)
                    .body("{\"backupXml\":\"<domainbackup/>\"}").post("/api/v1/domains/{domain}/backup", domain)
                    .then().statusCode(404).body("code", equalTo("VIR_ERR_NO_DOMAIN"));
        }
    }

    @Test
    void aQueuedJobSaysWhereItWaitsAndAnAbortCancelsIt() throws Throwable {
        endJobsLeftByOtherTests();
        String host = "rest-host-" + UUID.randomUUID().toString().substring(0, 8);
        List<BackupJob> requested = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requested.add(TestJobs.pushJob("rest-vm-" + UUID.randomUUID().toString().substring(0, 8), host));
        }
        // The three arrive and are admitted in one transaction: a background admission pass (the deadline
        // sweeper's) that ran between two arrivals would start a job on this agentless host, see it fail at once
        // and admit the third into the freed slot.
        List<StoredJob> jobs = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> Multi.createFrom().iterable(requested).onItem().transformToUniAndConcatenate(store::create)
                        .collect().asList()
                        .call(stored -> admission.admitWaiting())));
        BackupJob waiting = jobs.get(2).job();

        // Two run on the host (its limit); the third waits for the host, first in line.
        given().get("/api/v1/backup/jobs/{id}", waiting.jobId()).then().statusCode(200)
                .body("state", equalTo("QUEUED")).body("domain", equalTo(waiting.domain()))
                .body("hostId", equalTo(host)).body("queuePosition.position", equalTo(1))
                .body("jobType", equalTo("NONE")).body("operation", equalTo("BACKUP"))
                .body("queuePosition.aheadOnSameHost", equalTo(0))
                .body("queuePosition.waitingFor", equalTo("HOST"));
        // Admission is decided in the database (any replica sees it): the first two hold the host's slots.
        for (StoredJob admitted : jobs.subList(0, 2)) {
            given().get("/api/v1/backup/jobs/{id}", admitted.job().jobId()).then().statusCode(200)
                    .body("state", equalTo("STARTING")).body("queuePosition", nullValue())
                    .body("jobType", equalTo("UNBOUNDED"));
        }
        given().get("/api/v1/domains/{domain}/backup", waiting.domain()).then().statusCode(200)
                .contentType(containsString("xml"))
                .body(containsString("<domainbackup mode='push'>"))
                .body(containsString("/var/lib/backup/" + waiting.domain() + ".vda.qcow2"));
        given().get("/api/v1/domains/{domain}/backup/jobs", waiting.domain()).then().statusCode(200)
                .body("", hasSize(1)).body("[0].jobId", equalTo(waiting.jobId()));

        // The waiting job is cancelled before it ever started (no agent runs on this made-up host; the two
        // admitted ones would need it, so the test ends them itself).
        given().delete("/api/v1/domains/{domain}/backup", waiting.domain()).then().statusCode(202)
                .body("type", equalTo("backup-completed")).body("status", equalTo("cancelled"))
                .body("success", equalTo(false));
        endJobsLeftByOtherTests();
        given().get("/api/v1/backup/jobs/{id}", waiting.jobId()).then().statusCode(200)
                .body("state", equalTo("CANCELLED")).body("endedAt", notNullValue())
                .body("jobType", equalTo("CANCELLED"));
        // Its begin, never started, is answered too: libvirt's begin would have failed.
        given().get("/api/v1/commands/{id}", waiting.commandId()).then().statusCode(409)
                .body("code", equalTo("VIR_ERR_OPERATION_ABORTED"))
                .body("message", containsString("cancelled before it started"));
        given().get("/api/v1/domains/{domain}/backup", waiting.domain()).then().statusCode(404);
    }

    /** Other tests leave jobs "running" on hosts that never existed (no deadline sweeper yet): end them. */
    private void endJobsLeftByOtherTests() throws Exception {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "BackupResourceTest");
    }
}
