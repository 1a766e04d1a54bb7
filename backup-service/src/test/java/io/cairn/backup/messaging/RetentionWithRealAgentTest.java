package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.backup.service.TestJobs;
import io.cairn.core.agent.HostDirectory;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention with every real part, over 20 push backups of a VM whose guest writes between them, with the policy
 * "keep the last 3, a full once a chain holds 2 incrementals": after each backup the run it asks for prunes to the
 * last 3 points (merging an expired link a kept one stands on, deleting the rest), a full replaces the incremental
 * when due, and at the end every kept point restores equal to the disk at its checkpoint, the files on disk are
 * exactly the catalog's, and a narrower policy applied on demand over Kafka prunes further.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class RetentionWithRealAgentTest {
    private static final long SIZE = 8L << 20;
    private static final int BACKUPS = 20;
    private static final PatternWrite INITIAL = new PatternWrite(0x3c, 0, 1 << 20);
    private static RealAgentRig rig;
    private static GuestlessQemu qemu;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemu() {
        rig = RealAgentRig.start();
        qemu = rig.vm("ret-vm", new DiskSpec("vda", SIZE, List.of(INITIAL)));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    /** The guest's write before backup {@code i} (i from 2): a distinct pattern somewhere on the disk. */
    private static PatternWrite write(int i) {
        return new PatternWrite(0x40 + i, ((long) (i * 7) % 30) * (256 << 10), 64 << 10);
    }

    @Test
    void twentyBackupsUnderAPolicyKeepTheLastThreeRestorableAndForceAFullWhenDue() throws Exception {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "RetentionWithRealAgentTest");
        awaitInventory(hosts, qemu);
        String run = UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body(Map.of("keepLast", 3, "fullEvery", 2))
                .put("/api/v1/domains/{domain}/retention", qemu.domain()).then().statusCode(200)
                .body("policy.keepLast", org.hamcrest.Matchers.equalTo(3));

        List<String> checkpoints = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        Set<String> deletedPaths = new HashSet<>();
        long bytesFreed = 0;
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(qemu)) {
            for (int i = 1; i <= BACKUPS; i++) {
                if (i > 1) {
                    guestWrite(qmp, write(i));
                }
                String checkpoint = "t" + i + "-" + run;
                String incremental = i == 1 ? "" : "<incremental>" + checkpoints.get(i - 2) + "</incremental>";
                String begin = beginBackup(probe, qemu, "ret-backup-", "<domainbackup>" + incremental
                        + "</domainbackup>", "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
                JsonNode started = rig.event(probe, begin, "backup-started");
                modes.add(started.get("disks").get(0).get("backupmode").asText());
                JsonNode completed = rig.event(probe, begin, "backup-completed");
                assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
                checkpoints.add(checkpoint);

                JsonNode applied = rig.event(probe, "retention-after-" + started.get("jobId").asText(),
                        "retention-applied");
                assertThat(applied.get("success").asBoolean()).as(applied.toString()).isTrue();
                assertThat(applied.get("kept")).hasSize(Math.min(i, 3));
                applied.get("deleted").forEach(gone -> deletedPaths.add(gone.get("path").asText()));
                bytesFreed += applied.get("bytesFreed").asLong();
            }
        }

        // A full whenever the chain held 2 incrementals: backups 1, 4, 7, ... are fulls, the rest incrementals.
        for (int i = 1; i <= BACKUPS; i++) {
            assertThat(modes.get(i - 1)).as("backup %d", i).isEqualTo((i - 1) % 3 == 0 ? "full" : "incremental");
        }

        // The catalog holds the last three points only, each restorable, and the files on disk are exactly its own.
        JsonPath points = given().get("/api/v1/domains/{domain}/restore-points", qemu.domain()).then()
                .statusCode(200).extract().jsonPath();
        assertThat(points.getList("checkpoint", String.class)).containsExactly(checkpoints.get(19),
                checkpoints.get(18), checkpoints.get(17));
        assertThat(points.getList("complete", Boolean.class)).containsOnly(true);
        List<String> catalogPaths = given().get("/api/v1/domains/{domain}/artifacts", qemu.domain()).then()
                .statusCode(200).extract().jsonPath().getList("path", String.class);
        assertThat(catalogPaths).hasSize(3);
        assertThat(deletedPaths).hasSize(BACKUPS - 3).doesNotContainAnyElementsOf(catalogPaths);
        for (String gone : deletedPaths) {
            assertThat(Path.of(gone)).as("deleted by retention").doesNotExist();
        }
        long onDisk = 0;
        for (String kept : catalogPaths) {
            onDisk += Files.size(Path.of(kept));
        }
        assertThat(bytesFreed).as("what the runs freed").isPositive();
        System.out.printf("retention over %d backups: %d artifact files kept (%d bytes), %d deleted, %d bytes freed%n",
                BACKUPS, catalogPaths.size(), onDisk, deletedPaths.size(), bytesFreed);

        for (int i = BACKUPS - 2; i <= BACKUPS; i++) {
            assertRestoresEqual(checkpoints.get(i - 1), i, run);
        }

        // The dry run shows what a narrower policy would do; applying it over Kafka does it.
        given().contentType("application/json").body(Map.of("keepLast", 1))
                .put("/api/v1/domains/{domain}/retention", qemu.domain()).then().statusCode(200)
                .body("plan.kept", org.hamcrest.Matchers.hasSize(1))
                .body("plan.deletions", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()));
        try (TopicProbe probe = probe()) {
            String apply = "ret-apply-" + UUID.randomUUID();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, apply, "retention.apply"));
            JsonNode applied = rig.event(probe, apply, "retention-applied");
            assertThat(applied.get("success").asBoolean()).as(applied.toString()).isTrue();
            assertThat(applied.get("kept")).hasSize(1);
            assertThat(applied.get("kept").get(0).get("checkpoint").asText()).isEqualTo(checkpoints.get(19));
        }
        assertThat(given().get("/api/v1/domains/{domain}/restore-points", qemu.domain()).then().extract().jsonPath()
                .getList("checkpoint", String.class)).containsExactly(checkpoints.get(19));
        assertRestoresEqual(checkpoints.get(19), BACKUPS, run + "b");

        // Without a policy there is nothing to apply: refused, and nothing changes.
        given().delete("/api/v1/domains/{domain}/retention", qemu.domain()).then().statusCode(204);
        try (TopicProbe probe = probe()) {
            String apply = "ret-none-" + UUID.randomUUID();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, apply, "retention.apply"));
            JsonNode rejected = rig.event(probe, apply, "command-rejected");
            assertThat(rejected.get("error").get("code").asText()).isEqualTo("VIR_ERR_OPERATION_INVALID");
            assertThat(rejected.get("error").get("message").asText()).contains("no retention policy");
        }
    }

    /** Restores the point holding {@code checkpoint} as a copy and compares it with the disk after backup {@code i}. */
    private static void assertRestoresEqual(String checkpoint, int i, String tag) {
        Path target = qemu.disk("vda").image().resolveSibling("vda-" + checkpoint + "-" + tag + ".qcow2");
        JsonPath answer = given().contentType("application/json").body(Map.of("checkpoint", checkpoint, "disks",
                        List.of(Map.of("name", "vda", "path", target.toString()))))
                .post("/api/v1/domains/{domain}/restore", qemu.domain()).then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 202)).extract().jsonPath();
        String restoreId = answer.getString("restoreId");
        assertThat(restoreId).as(answer.prettify()).isNotBlank();
        org.awaitility.Awaitility.await().atMost(RealAgentRig.WAIT).until(() -> given()
                .get("/api/v1/restore/jobs/{id}", restoreId).then().statusCode(200).extract().jsonPath()
                .getString("state").matches("COMPLETED|FAILED"));
        JsonPath job = given().get("/api/v1/restore/jobs/{id}", restoreId).then().extract().jsonPath();
        assertThat(job.getString("state")).as(job.prettify()).isEqualTo("COMPLETED");
        assertThat(QemuImg.identical(target, expected(i, tag), qemu.logFile())).as("restored %s", checkpoint).isTrue();
    }

    /** The disk after its initial data and the writes before backups 2 to {@code i}. */
    private static Path expected(int i, String tag) {
        Path image = qemu.file("want-vda-" + i + "-" + tag + ".qcow2");
        QemuImg.createQcow2(image, SIZE, qemu.logFile());
        List<PatternWrite> all = new ArrayList<>(List.of(INITIAL));
        for (int j = 2; j <= i; j++) {
            all.add(write(j));
        }
        QemuImg.writePatterns(image, all, qemu.logFile());
        return image;
    }

    private static void guestWrite(QmpProbe qmp, PatternWrite write) throws Exception {
        String reply = qmp.execute("human-monitor-command", QmpProbe.arguments().put("command-line", "qemu-io -d "
                + qemu.disk("vda").qemuIoBackend() + " \"" + write.qemuIoCommand() + "\"")).asText();
        assertThat(reply).isEmpty();
    }
}
