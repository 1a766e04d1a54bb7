package io.cairn.backup.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.cairn.backup.service.ArtifactCatalog;
import io.cairn.backup.service.BackupJobStore;
import io.cairn.backup.service.BackupReports;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.agent.WrittenTarget;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.testing.security.LocalIssuer;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The backup catalog against the real database, fed the way the agents' reports feed it (BackupReports, the
 * consumer's own path, on made-up hosts): completed pushes leave one artifact per disk in the completion's
 * transaction, once; restore points chain full and incrementals; a failed middle job leaves the later restore point
 * incomplete naming the missing link; and the endpoints keep to roles and domain scope.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupCatalogTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final LocalIssuer issuer = LocalStack.issuer();
    private final String viewer = issuer.token("vera", "viewer", List.of("*"), HOUR);

    @Inject
    BackupJobStore store;

    @Inject
    BackupReports reports;

    @Inject
    ArtifactCatalog catalog;

    @Test
    void aFullAndTwoIncrementalsAreListedWithTheirChains() throws Throwable {
        String domain = "cat-vm-" + UUID.randomUUID().toString().substring(0, 8);
        BackupJob full = complete(push(domain, "c1", null, "vda", "vdb"));
        BackupJob inc1 = complete(push(domain, "c2", "c1", "vda", "vdb"));
        BackupJob inc2 = complete(push(domain, "c3", "c2", "vda", "vdb"));

        JsonPath artifacts = as(viewer).get("/api/v1/domains/{domain}/artifacts", domain).then().statusCode(200)
                .body("", hasSize(6)).extract().jsonPath();
        assertThat(artifacts.getList("checkpoint", String.class)).containsExactly("c1", "c1", "c2", "c2", "c3", "c3");
        assertThat(artifacts.getList("incrementalFrom", String.class))
                .containsExactly(null, null, "c1", "c1", "c2", "c2");
        assertThat(artifacts.getList("backupMode", String.class))
                .containsExactly("full", "full", "incremental", "incremental", "incremental", "incremental");
        assertThat(artifacts.getString("[0].sha256")).isEqualTo(sha(full.jobId(), "vda"));
        assertThat(artifacts.getLong("[0].size")).isEqualTo(size("vda"));
        assertThat(artifacts.getString("[0].path")).isEqualTo(path(full, "vda"));
        assertThat(artifacts.getString("[0].format")).isEqualTo("qcow2");
        assertThat(artifacts.getString("[0].mode")).isEqualToIgnoringCase("push");
        assertThat(artifacts.getString("[0].writtenBy")).isEqualTo("agent");
        assertThat(artifacts.getString("[5].jobId")).isEqualTo(inc2.jobId());

        as(viewer).get("/api/v1/domains/{domain}/restore-points", domain).then().statusCode(200)
                .body("checkpoint", contains("c3", "c2", "c1"))
                .body("complete", contains(true, true, true))
                .body("[0].disks.disk", contains("vda", "vdb"))
                .body("[0].disks[0].chain.jobId", contains(full.jobId(), inc1.jobId(), inc2.jobId()))
                .body("[0].disks[1].chain.artifactId", contains(full.jobId() + "/vdb", inc1.jobId() + "/vdb",
                        inc2.jobId() + "/vdb"))
                .body("[1].disks[0].chain.checkpoint", contains("c1", "c2"))
                .body("[2].disks[0].chain.checkpoint", contains("c1"));
        as(viewer).get("/api/v1/domains/{domain}/restore-points/{checkpoint}", domain, "c2").then().statusCode(200)
                .body("jobId", equalTo(inc1.jobId()))
                .body("disks[1].chain.sha256", contains(sha(full.jobId(), "vdb"), sha(inc1.jobId(), "vdb")));
        as(viewer).get("/api/v1/domains/{domain}/restore-points/{checkpoint}", domain, "nosuch").then()
                .statusCode(404).body("code", equalTo("VIR_ERR_NO_DOMAIN_CHECKPOINT"));
    }

    @Test
    void aFailedMiddleJobLeavesTheLaterRestorePointIncompleteNamingTheMissingLink() throws Throwable {
        String domain = "cat-gap-" + UUID.randomUUID().toString().substring(0, 8);
        BackupJob full = complete(push(domain, "c1", null, "vda"));
        BackupJob failed = fail(push(domain, "c2", "c1", "vda"));
        BackupJob later = complete(push(domain, "c3", "c2", "vda"));

        as(viewer).get("/api/v1/domains/{domain}/artifacts", domain).then().statusCode(200)
                .body("jobId", contains(full.jobId(), later.jobId()));
        JsonPath points = as(viewer).get("/api/v1/domains/{domain}/restore-points", domain).then().statusCode(200)
                .body("checkpoint", contains("c3", "c1"))
                .body("complete", contains(false, true))
                .body("[0].disks[0].chain.jobId", contains(later.jobId()))
                .extract().jsonPath();
        String missing = points.getString("[0].disks[0].missing");
        assertThat(missing).contains("disk 'vda'", "checkpoint 'c2'", later.jobId() + "/vda",
                "backup job " + failed.jobId() + " that created it failed", "No space left on device");
        assertThat(points.getList("[0].problems", String.class)).containsExactly(missing);
    }

    @Test
    void aCompletionRecordedTwiceLeavesOneArtifactPerDisk() throws Throwable {
        String domain = "cat-dup-" + UUID.randomUUID().toString().substring(0, 8);
        BackupJob job = complete(push(domain, "c1", null, "vda"));
        BackupJob stored = VertxContextSupport.subscribeAndAwait(() -> store.find(job.jobId())).orElseThrow();

        VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                .withTransaction(() -> catalog.record(stored)));
        // The terminal report delivered again (a redelivery after a rebalance): the ended job ignores it.
        VertxContextSupport.subscribeAndAwait(() -> reports.apply(report(job, 3, BackupJobState.COMPLETED,
                done(job, "vda"))));

        as(viewer).get("/api/v1/domains/{domain}/artifacts", domain).then().statusCode(200)
                .body("artifactId", contains(job.jobId() + "/vda"));
    }

    @Test
    void aViewerReadsTheCatalogAndAPrincipalOutOfScopeSeesNoDomain() throws Throwable {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String theirs = "team-b-" + suffix;
        complete(push(theirs, "c1", null, "vda"));
        String teamA = issuer.token("alice", "admin", List.of("team-a-*"), HOUR);

        for (String path : List.of("artifacts", "restore-points", "restore-points/c1")) {
            as(teamA).get("/api/v1/domains/{domain}/" + path, theirs).then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN"));
            given().noFilters().get("/api/v1/domains/{domain}/" + path, theirs).then().statusCode(401)
                    .body("code", equalTo("VIR_ERR_AUTH_FAILED"));
            as(issuer.token("nobody", "none", List.of("*"), HOUR)).get("/api/v1/domains/{domain}/" + path, theirs)
                    .then().statusCode(403).body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
            as(viewer).get("/api/v1/domains/{domain}/" + path, theirs).then().statusCode(200);
        }
    }

    private static BackupJob push(String domain, String checkpoint, String incrementalFrom, String... disks) {
        List<BackupDisk> planned = new ArrayList<>();
        List<CheckpointDisk> bitmaps = new ArrayList<>();
        String id = UUID.randomUUID().toString();
        for (String disk : disks) {
            planned.add(new BackupDisk(disk, true, incrementalFrom == null ? DiskBackupMode.FULL
                    : DiskBackupMode.INCREMENTAL, incrementalFrom, null, null, new BackupStore("file",
                    "/var/lib/backup/" + domain + "/" + id + "." + disk + ".qcow2", "qcow2", null, null), null));
            bitmaps.add(new CheckpointDisk(disk, CheckpointDiskMode.BITMAP, checkpoint, null));
        }
        BackupDefinition definition = new BackupDefinition(BackupMode.PUSH, incrementalFrom, null, planned);
        CheckpointDefinition created = new CheckpointDefinition(checkpoint, null, null, null, bitmaps, null);
        BackupJob job = BackupJob.queue(new JobRequest(id, domain, "catalog-host-" + domain, "cmd-" + id, definition,
                created, false), Instant.now());
        // Started before it is stored: admission never sees it queued, so nothing sends it to the made-up host.
        job.start(Instant.now());
        return job;
    }

    private BackupJob complete(BackupJob job) throws Throwable {
        run(job, BackupJobState.COMPLETED, disks(job).map(d -> done(job, d))
                .toArray(DiskJobReport[]::new));
        return job;
    }

    private BackupJob fail(BackupJob job) throws Throwable {
        run(job, BackupJobState.FAILED, disks(job).map(d -> new DiskJobReport(d,
                DiskJobState.FAILED, 0, size(d), "No space left on device")).toArray(DiskJobReport[]::new));
        return job;
    }

    private void run(BackupJob job, BackupJobState end, DiskJobReport... ended) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> store.create(job));
        DiskJobReport[] running = disks(job).map(d -> new DiskJobReport(d, DiskJobState.RUNNING, 0,
                size(d), null)).toArray(DiskJobReport[]::new);
        VertxContextSupport.subscribeAndAwait(() -> reports.apply(report(job, 1, BackupJobState.RUNNING, running)));
        VertxContextSupport.subscribeAndAwait(() -> reports.apply(report(job, 2, end, ended)));
    }

    private static java.util.stream.Stream<String> disks(BackupJob job) {
        return job.definition().disks().stream().map(BackupDisk::name);
    }

    private static DiskJobReport done(BackupJob job, String disk) {
        return new DiskJobReport(disk, DiskJobState.COMPLETE, size(disk), size(disk), null,
                new WrittenTarget(path(job, disk), size(disk), sha(job.jobId(), disk)));
    }

    private static String path(BackupJob job, String disk) {
        return job.definition().disks().stream().filter(d -> d.name().equals(disk)).findFirst().orElseThrow()
                .store().path();
    }

    private static long size(String disk) {
        return disk.equals("vda") ? 1_245_184 : 655_360;
    }

    /** A stand-in checksum, distinct per job and disk. */
    private static String sha(String jobId, String disk) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest((jobId + "/" + disk).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BackupJobReport report(BackupJob job, long sequence, BackupJobState state,
            DiskJobReport... disks) {
        return new BackupJobReport(job.jobId(), job.hostId(), job.domain(), "req-" + job.jobId(), sequence, state,
                List.of(disks), null, null, null, Instant.now());
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
