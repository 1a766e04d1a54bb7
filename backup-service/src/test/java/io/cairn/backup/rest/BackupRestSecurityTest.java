package io.cairn.backup.rest;

import io.cairn.testing.stack.KafkaProvisioner;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.cairn.backup.service.BackupJobStore;
import io.cairn.backup.service.RestoreReports;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import io.cairn.events.event.NbdPsk;
import io.cairn.events.model.BackupServer;
import io.cairn.backup.service.TestJobs;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.testing.security.LocalIssuer;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * backup-service's REST API under security: a viewer cannot start or abort a backup, and a principal scoped to some
 * domains sees neither the jobs nor, in the fleet view, the domains of others; an export restore's key and its end
 * are for operators of its domain.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupRestSecurityTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final LocalIssuer issuer = LocalStack.issuer();

    @Inject
    BackupJobStore store;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @Inject
    RestoreJobStore restores;

    @Inject
    RestoreReports reports;

    @Test
    void aViewerCannotBeginOrAbortAndNoJobAppears() {
        String domain = "sec-vm-" + UUID.randomUUID().toString().substring(0, 8);
        String viewer = issuer.token("vera", "viewer", List.of("*"), HOUR);
        as(viewer).contentType(ContentType.JSON).body("{\"backupXml\":\"<domainbackup/>\"}")
                .post("/api/v1/domains/{domain}/backup", domain).then().statusCode(403)
                .body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
        as(viewer).delete("/api/v1/domains/{domain}/backup", domain).then().statusCode(403)
                .body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
        as(viewer).get("/api/v1/domains/{domain}/backup/jobs", domain).then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void retentionPoliciesNeedAnOperatorAndADomainInScope() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String mine = "team-a-" + suffix;
        String theirs = "team-b-" + suffix;
        String viewer = issuer.token("vera", "viewer", List.of("*"), HOUR);
        String teamA = issuer.token("alice", "operator", List.of("team-a-*"), HOUR);
        as(viewer).contentType(ContentType.JSON).body("{\"keepLast\": 2}")
                .put("/api/v1/domains/{domain}/retention", mine).then().statusCode(403)
                .body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
        as(viewer).post("/api/v1/domains/{domain}/retention/apply", mine).then().statusCode(403)
                .body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
        as(viewer).delete("/api/v1/domains/{domain}/retention", mine).then().statusCode(403);
        as(viewer).get("/api/v1/domains/{domain}/retention", mine).then().statusCode(200)
                .body("policy", org.hamcrest.Matchers.nullValue());
        as(teamA).contentType(ContentType.JSON).body("{\"keepLast\": 2}")
                .put("/api/v1/domains/{domain}/retention", theirs).then().statusCode(404)
                .body("code", equalTo("VIR_ERR_NO_DOMAIN"));
        as(teamA).contentType(ContentType.JSON).body("{\"keepLast\": 0}")
                .put("/api/v1/domains/{domain}/retention", mine).then().statusCode(400)
                .body("code", equalTo("VIR_ERR_INVALID_ARG"));
        as(teamA).contentType(ContentType.JSON).body("{\"keepLast\": 2, \"keepForever\": true}")
                .put("/api/v1/domains/{domain}/retention", mine).then().statusCode(400)
                .body("code", equalTo("VIR_ERR_INVALID_ARG"));
        as(teamA).contentType(ContentType.JSON).body("{\"keepLast\": 2, \"fullEvery\": 6}")
                .put("/api/v1/domains/{domain}/retention", mine).then().statusCode(200)
                .body("policy.keepLast", equalTo(2)).body("policy.fullEvery", equalTo(6))
                .body("plan.kept", org.hamcrest.Matchers.empty());
        as(teamA).get("/api/v1/domains/{domain}/retention", theirs).then().statusCode(404);
        as(teamA).delete("/api/v1/domains/{domain}/retention", mine).then().statusCode(204);
        as(teamA).get("/api/v1/domains/{domain}/retention", mine).then().statusCode(200)
                .body("policy", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void jobsAndFleetDomainsOutOfScopeAreInvisible() throws Throwable {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String mine = "team-a-" + suffix;
        String theirs = "team-b-" + suffix;
        String host = "sec-host-" + suffix;
        KafkaProvisioner.onboardHost(LocalStack.ensureRunning().kafkaBootstrap(), host);
        hosts.remember(new HostInventory(host, Instant.now(), List.of(domainOn(mine), domainOn(theirs)), null));
        BackupJob job = TestJobs.pushJob(theirs, host);
        VertxContextSupport.subscribeAndAwait(() -> store.create(job));
        try {
            String teamA = issuer.token("alice", "operator", List.of("team-a-*"), HOUR);
            as(teamA).get("/api/v1/backup/jobs/{id}", job.jobId()).then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN_BACKUP"));
            // Registering a job's outputs: the job's domain must be in scope, and it takes an operator.
            String body = "{\"disks\": [{\"name\": \"vda\", \"path\": \"/b/x.qcow2\", \"format\": \"qcow2\"}]}";
            as(teamA).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/backup/jobs/{id}/artifacts", job.jobId()).then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN_BACKUP"));
            as(issuer.token("vera", "viewer", List.of("*"), HOUR)).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/backup/jobs/{id}/artifacts", job.jobId()).then().statusCode(403)
                    .body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
            as(teamA).get("/api/v1/domains/{domain}/backup/jobs", theirs).then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN"));
            as(teamA).delete("/api/v1/domains/{domain}/backup", theirs).then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN"));
            as(teamA).get("/api/v1/hosts").then().statusCode(200)
                    .body("find { it.hostId == '" + host + "' }.domains.name", contains(mine));
            // The admin's own default token (every domain) sees both.
            given().get("/api/v1/backup/jobs/{id}", job.jobId()).then().statusCode(200)
                    .body("domain", equalTo(theirs));
            given().get("/api/v1/hosts").then().statusCode(200)
                    .body("find { it.hostId == '" + host + "' }.domains.name", contains(mine, theirs));
        } finally {
            TestJobs.endActiveJobsOnMadeUpHosts(database, BackupRestSecurityTest.class.getSimpleName());
        }
    }

    @Test
    void anExportsKeyAndItsEndAreForOperatorsOfItsDomainOnly() throws Throwable {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String domain = "team-a-" + suffix;
        String restoreId = "sec-export-" + suffix;
        // An export that serves, as its agent's report makes it (no agent needed: the view reads the recorded outcome).
        VertxContextSupport.subscribeAndAwait(() -> restores.create(RestoreJob.requestExport(restoreId,
                "sec-begin-" + suffix, domain, "sec-host-" + suffix, "c1", List.of(new DiskRestorePlan("vda",
                        List.of(), null, null)), Instant.now(), Duration.ofHours(1))));
        NbdEndpoint nbd = new NbdEndpoint(new BackupServer("unix", null, null, "/b/" + domain + "/.x.sock", null, true),
                List.of(new NbdExport("vda", "vda", null, null, "nbds+unix://cairn@/vda?socket=/b/x.sock")),
                new NbdPsk("cairn", "ab".repeat(32)));
        VertxContextSupport.subscribeAndAwait(() -> reports.apply(report(restoreId, domain, suffix, 0,
                RestoreJobState.EXPORTED, nbd)));
        try {
            String viewer = issuer.token("vera", "viewer", List.of("team-a-*"), HOUR);
            String teamB = issuer.token("bob", "operator", List.of("team-b-*"), HOUR);
            String teamA = issuer.token("alice", "operator", List.of("team-a-*"), HOUR);
            as(viewer).get("/api/v1/restore/jobs/{id}", restoreId).then().statusCode(200)
                    .body("state", equalTo("EXPORTED")).body("nbd.psk.username", equalTo("cairn"))
                    .body("nbd.psk.key", nullValue());
            as(viewer).post("/api/v1/restore/jobs/{id}/end", restoreId).then().statusCode(403)
                    .body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
            as(teamB).get("/api/v1/restore/jobs/{id}", restoreId).then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN_BACKUP"));
            as(teamB).post("/api/v1/restore/jobs/{id}/end", restoreId).then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN_BACKUP"));
            as(teamA).get("/api/v1/restore/jobs/{id}", restoreId).then().statusCode(200)
                    .body("nbd.psk.key", equalTo("ab".repeat(32)));
        } finally {
            VertxContextSupport.subscribeAndAwait(() -> reports.apply(report(restoreId, domain, suffix,
                    RestoreJobReport.LAST_WORD, RestoreJobState.COMPLETED, null)));
        }
    }

    private static RestoreJobReport report(String restoreId, String domain, String suffix, long sequence,
            RestoreJobState state, NbdEndpoint nbd) {
        return new RestoreJobReport(restoreId, "sec-host-" + suffix, domain, sequence, state, 0, 0, List.of(), null,
                Instant.now(), List.of(), nbd);
    }

    private static DomainInventory domainOn(String name) {
        return new DomainInventory(name, "running", List.of(), List.of());
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
