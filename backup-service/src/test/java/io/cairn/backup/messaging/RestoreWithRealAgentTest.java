package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restore with every real part: a two-disk VM backed up three times (full, then two incrementals, each creating the
 * next checkpoint) through Kafka, backup-service, a real host-agent process and QEMU; then restores of its restore
 * points, over Kafka and REST, as qcow2 and raw copies and as a thin overlay, each disk equal to the disk at its
 * checkpoint although the guest wrote since; refusals before anything runs (unknown checkpoint, a live disk as the
 * target); and a damaged artifact failing the restore with one restore-completed naming it and no image left.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class RestoreWithRealAgentTest {
    private static final long SIZE = 16L << 20;
    private static RealAgentRig rig;
    private static GuestlessQemu qemu;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @Inject
    io.cairn.backup.service.VerifySchedule schedule;

    private static final Map<String, List<PatternWrite>> INITIAL = Map.of(
            "vda", List.of(new PatternWrite(0x3c, 0, 2 << 20)),
            "vdb", List.of(new PatternWrite(0x4d, 1 << 20, 1 << 20)));
    /** Per disk: before backup 2, before backup 3, after the last backup. */
    private static final Map<String, List<PatternWrite>> WRITES = Map.of(
            "vda", List.of(new PatternWrite(0x51, 4 << 20, 64 << 10), new PatternWrite(0x52, 8 << 20, 64 << 10),
                    new PatternWrite(0x53, 0, 1 << 20)),
            "vdb", List.of(new PatternWrite(0x61, 0, 4096), new PatternWrite(0x62, 12 << 20, 1 << 20),
                    new PatternWrite(0x63, 1 << 20, 2 << 20)));

    @BeforeAll
    static void startAgentAndQemu() {
        rig = RealAgentRig.start();
        qemu = rig.vm("rst-vm", new DiskSpec("vda", SIZE, INITIAL.get("vda")),
                new DiskSpec("vdb", SIZE, INITIAL.get("vdb")));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void restorePointsRestoreAsCopiesAndThinOverlaysAndADamagedArtifactFailsTheRestore() throws Throwable {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "RestoreWithRealAgentTest");
        awaitInventory(hosts, qemu);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> checkpoints = backUpThreeTimes(run);

        try (TopicProbe probe = probe()) {
            // Over Kafka: every disk of restore point 2, qcow2 copies at default paths.
            String restore = "rst-" + UUID.randomUUID();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, restore, "restore.begin")
                    .put("checkpoint", checkpoints.get(1)));
            JsonNode completed = rig.event(probe, restore, "restore-completed");
            assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
            assertThat(completed.get("checkpoint").asText()).isEqualTo(checkpoints.get(1));
            assertThat(completed.get("disks")).hasSize(2);
            for (JsonNode disk : completed.get("disks")) {
                String name = disk.get("name").asText();
                Path image = Path.of(disk.get("path").asText());
                assertThat(image.getParent()).isEqualTo(qemu.disk(name).image().getParent());
                assertThat(image.getFileName().toString()).startsWith(name + "." + checkpoints.get(1) + ".restore-");
                assertThat(disk.get("chain")).hasSize(2);
                assertThat(disk.get("sha256").asText()).isEqualTo(sha256sum(image));
                assertThat(QemuImg.identical(image, expected(name, 1, run), qemu.logFile()))
                        .as("%s restored at %s", name, checkpoints.get(1)).isTrue();
            }
            assertThat(probe.awaitCount(r -> RealAgentRig.ofCommand(r.value(), restore)
                    && r.value().contains("\"type\":\"restore-completed\""), 2, java.time.Duration.ofSeconds(2)))
                    .as("exactly one restore-completed").hasSize(1);
        }

        // Over REST: restore point 3, vda as a thin overlay and vdb as a raw copy, each followed to its end.
        Path thin = qemu.disk("vda").image().resolveSibling("vda-thin-" + run + ".qcow2");
        JsonPath thinJob = restoreOverRest(Map.of("checkpoint", checkpoints.get(2), "mode", "thin",
                "disks", List.of(Map.of("name", "vda", "path", thin.toString()))));
        assertThat(thinJob.getString("state")).as(thinJob.prettify()).isEqualTo("COMPLETED");
        assertThat(QemuImg.identical(thin, expected("vda", 2, run), qemu.logFile())).as("thin vda").isTrue();
        assertThat(Files.size(thin)).isLessThan(1 << 20);
        Path raw = qemu.disk("vdb").image().resolveSibling("vdb-" + run + ".raw");
        JsonPath rawJob = restoreOverRest(Map.of("checkpoint", checkpoints.get(2),
                "disks", List.of(Map.of("name", "vdb", "path", raw.toString(), "format", "raw"))));
        assertThat(rawJob.getString("state")).as(rawJob.prettify()).isEqualTo("COMPLETED");
        assertThat(rawJob.getLong("bytesDone")).isEqualTo(rawJob.getLong("bytesTotal"));
        assertThat(identicalRaw(raw, expected("vdb", 2, run))).as("raw vdb").isTrue();

        // Refused before anything runs.
        given().contentType("application/json").body(Map.of("checkpoint", "no-such-" + run))
                .post("/api/v1/domains/{domain}/restore", qemu.domain()).then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("VIR_ERR_NO_DOMAIN_CHECKPOINT"));
        given().contentType("application/json").body(Map.of("checkpoint", checkpoints.get(2), "disks",
                        List.of(Map.of("name", "vda", "path", qemu.disk("vda").image().toString()))))
                .post("/api/v1/domains/{domain}/restore", qemu.domain()).then()
                .body("code", org.hamcrest.Matchers.equalTo("VIR_ERR_OPERATION_INVALID"))
                .body("message", org.hamcrest.Matchers.containsString("live disk"));

        // Verify over REST: every artifact of the domain read against its checksum, all intact.
        JsonPath intact = followed(given().contentType("application/json").body("")
                .post("/api/v1/domains/{domain}/verify", qemu.domain()).then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 202)).extract().jsonPath().getString("restoreId"));
        assertThat(intact.getString("state")).as(intact.prettify()).isEqualTo("COMPLETED");
        assertThat(intact.getList("verdicts.intact", Boolean.class)).hasSize(6).containsOnly(true);
        assertThat(given().get("/api/v1/domains/{domain}/artifacts", qemu.domain()).then().extract().jsonPath()
                .getList("verifiedAt")).hasSize(6).doesNotContainNull();

        // A byte flipped in the middle link of vda: the restore fails naming it, and writes nothing.
        String middle = artifactOf("vda", checkpoints.get(1));
        flipOneByte(Path.of(middle));
        Path never = qemu.disk("vda").image().resolveSibling("vda-never-" + run + ".qcow2");
        try (TopicProbe probe = probe()) {
            String restore = "rst-bad-" + UUID.randomUUID();
            ObjectNode command = RealAgentRig.command(qemu, restore, "restore.begin")
                    .put("checkpoint", checkpoints.get(2));
            command.putArray("disks").addObject().put("name", "vda").put("path", never.toString());
            RealAgentRig.send(probe, qemu, command);
            JsonNode failed = rig.event(probe, restore, "restore-completed");
            assertThat(failed.get("success").asBoolean()).isFalse();
            assertThat(failed.get("error").get("message").asText()).contains("'" + middle + "'", "is damaged");
            assertThat(failed.get("disks")).isEmpty();
            assertThat(never).doesNotExist();
        }

        // Verify over Kafka finds it, and the restore points that need it are no longer restorable.
        try (TopicProbe probe = probe()) {
            String verify = "vfy-" + UUID.randomUUID();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, verify, "backup.verify")
                    .put("checkpoint", checkpoints.get(2)));
            JsonNode found = rig.event(probe, verify, "verify-completed");
            assertThat(found.get("success").asBoolean()).as(found.toString()).isFalse();
            assertThat(found.get("artifacts")).hasSize(6);
            List<JsonNode> damaged = new ArrayList<>();
            found.get("artifacts").forEach(verdict -> {
                if (!verdict.get("intact").asBoolean()) {
                    damaged.add(verdict);
                }
            });
            assertThat(damaged).singleElement().satisfies(verdict -> {
                assertThat(verdict.get("path").asText()).isEqualTo(middle);
                assertThat(verdict.get("checkpoint").asText()).isEqualTo(checkpoints.get(1));
                assertThat(verdict.get("problem").asText()).contains("is damaged");
            });
        }
        for (String checkpoint : checkpoints.subList(1, 3)) {
            given().get("/api/v1/domains/{domain}/restore-points/{checkpoint}", qemu.domain(), checkpoint).then()
                    .statusCode(200).body("complete", org.hamcrest.Matchers.equalTo(false))
                    .body("problems[0]", org.hamcrest.Matchers.containsString("damaged"));
        }
        given().get("/api/v1/domains/{domain}/restore-points/{checkpoint}", qemu.domain(), checkpoints.get(0)).then()
                .body("complete", org.hamcrest.Matchers.equalTo(true));
        given().contentType("application/json").body(Map.of("checkpoint", checkpoints.get(2)))
                .post("/api/v1/domains/{domain}/restore", qemu.domain()).then().statusCode(409)
                .body("code", org.hamcrest.Matchers.equalTo("VIR_ERR_OPERATION_INVALID"))
                .body("message", org.hamcrest.Matchers.containsString("damaged"));

        // The schedule verifies on its own (here: everything verified before now), with its own commandId.
        try (TopicProbe probe = probe()) {
            assertThat(io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                    () -> schedule.runNow(java.time.Duration.ZERO))).isPositive();
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> scheduled = probe.awaitCount(
                    r -> r.value().contains("\"type\":\"verify-completed\"")
                            && r.value().contains("\"domain\":\"" + qemu.domain() + "\"")
                            && r.value().contains("\"commandId\":\"scheduled-verify-"), 1, RealAgentRig.WAIT);
            assertThat(scheduled).hasSize(1);
            JsonNode event = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(scheduled.get(0).value());
            assertThat(event.get("success").asBoolean()).isFalse();
            assertThat(event.get("checkpoint")).isNull();
        }
    }

    private static JsonPath followed(String restoreId) {
        assertThat(restoreId).isNotBlank();
        await().atMost(RealAgentRig.WAIT).until(() -> given().get("/api/v1/restore/jobs/{id}", restoreId).then()
                .statusCode(200).extract().jsonPath().getString("state").matches("COMPLETED|FAILED"));
        return given().get("/api/v1/restore/jobs/{id}", restoreId).then().extract().jsonPath();
    }

    /** Backups 1 (full) to 3, each creating checkpoint {@code rN-<run>}, with the guest writing in between. */
    private static List<String> backUpThreeTimes(String run) throws Exception {
        List<String> checkpoints = new ArrayList<>();
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(qemu)) {
            for (int i = 1; i <= 3; i++) {
                if (i > 1) {
                    guestWrite(qmp, "vda", WRITES.get("vda").get(i - 2));
                    guestWrite(qmp, "vdb", WRITES.get("vdb").get(i - 2));
                }
                String checkpoint = "r" + i + "-" + run;
                String incremental = i == 1 ? "" : "<incremental>" + checkpoints.get(i - 2) + "</incremental>";
                String begin = beginBackup(probe, qemu, "rst-backup-", "<domainbackup>" + incremental
                        + "</domainbackup>", "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
                JsonNode completed = rig.event(probe, begin, "backup-completed");
                assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
                checkpoints.add(checkpoint);
            }
            guestWrite(qmp, "vda", WRITES.get("vda").get(2));
            guestWrite(qmp, "vdb", WRITES.get("vdb").get(2));
        }
        return checkpoints;
    }

    /** POSTs the restore, then follows its view until it ends. */
    private static JsonPath restoreOverRest(Map<String, Object> body) {
        JsonPath answer = given().contentType("application/json").body(body)
                .post("/api/v1/domains/{domain}/restore", qemu.domain()).then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 202)).extract().jsonPath();
        String restoreId = answer.getString("restoreId");
        assertThat(restoreId).as(answer.prettify()).isNotBlank();
        await().atMost(RealAgentRig.WAIT).until(() -> given().get("/api/v1/restore/jobs/{id}", restoreId).then()
                .statusCode(200).extract().jsonPath().getString("state").matches("COMPLETED|FAILED"));
        return given().get("/api/v1/restore/jobs/{id}", restoreId).then().extract().jsonPath();
    }

    private static String artifactOf(String disk, String checkpoint) {
        return given().get("/api/v1/domains/{domain}/artifacts", qemu.domain()).then().statusCode(200).extract()
                .jsonPath().getString("find { it.disk == '" + disk + "' && it.checkpoint == '" + checkpoint
                        + "' }.path");
    }

    /** The disk after its initial data and the first {@code writes} writes. */
    private static Path expected(String disk, int writes, String run) {
        Path image = qemu.file("want-" + disk + "-" + writes + "-" + run + ".qcow2");
        if (!Files.exists(image)) {
            QemuImg.createQcow2(image, SIZE, qemu.logFile());
            List<PatternWrite> all = new ArrayList<>(INITIAL.get(disk));
            all.addAll(WRITES.get(disk).subList(0, writes));
            QemuImg.writePatterns(image, all, qemu.logFile());
        }
        return image;
    }

    private static boolean identicalRaw(Path raw, Path qcow2) throws Exception {
        Process process = new ProcessBuilder("qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw.toString(),
                qcow2.toString()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }

    private static void guestWrite(QmpProbe qmp, String disk, PatternWrite write) throws Exception {
        String reply = qmp.execute("human-monitor-command", QmpProbe.arguments().put("command-line", "qemu-io -d "
                + qemu.disk(disk).qemuIoBackend() + " \"" + write.qemuIoCommand() + "\"")).asText();
        assertThat(reply).isEmpty();
    }

    private static void flipOneByte(Path file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long offset = raf.length() / 2;
            raf.seek(offset);
            int value = raf.read();
            raf.seek(offset);
            raf.write(value ^ 0xff);
        }
    }

    private static String sha256sum(Path file) throws Exception {
        Process process = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.split(" ")[0];
    }
}
