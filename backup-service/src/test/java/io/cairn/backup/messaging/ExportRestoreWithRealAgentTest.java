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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instant restore with every real part: a VM backed up as a full and two incrementals through Kafka, backup-service,
 * a real host-agent process and QEMU; its last restore point exported with restore.begin mode export; the disk read
 * with nbdcopy through the announced endpoint and its key equals the disk at the checkpoint; restore.end over REST
 * is answered by the export's one restore-completed and stops the daemon; a ttl ends an export on its own; an agent
 * killed while serving is restarted and the export ends FAILED at once; bad input is refused with libvirt's errors.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class ExportRestoreWithRealAgentTest {
    private static final long SIZE = 16L << 20;
    private static final List<PatternWrite> INITIAL = List.of(new PatternWrite(0x3c, 0, 2 << 20));
    /** Before backup 2, before backup 3, after the last backup. */
    private static final List<PatternWrite> WRITES = List.of(new PatternWrite(0x51, 4 << 20, 64 << 10),
            new PatternWrite(0x52, 8 << 20, 1 << 20), new PatternWrite(0x53, 0, 1 << 20));
    private static RealAgentRig rig;
    private static GuestlessQemu qemu;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemu() {
        // A heartbeat well inside the service's silence bound; short here so a few beats are seen.
        // Copies written at 1 MiB/s: slow enough for a restore.end to meet one running.
        rig = RealAgentRig.start("-Dcairn.restore.export-heartbeat=2s", "-Dcairn.agent.restore-rate-limit=1048576");
        qemu = rig.vm("exp-vm", new DiskSpec("vda", SIZE, INITIAL));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void anExportServesTheDiskAtTheCheckpointUntilEndedOrItsTtl() throws Exception {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "ExportRestoreWithRealAgentTest");
        awaitInventory(hosts, qemu);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> checkpoints = backUpThreeTimes(run);

        String begin = "exp-" + UUID.randomUUID();
        String restoreId;
        Path socket;
        try (TopicProbe probe = probe()) {
            long sent = System.nanoTime();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, begin, "restore.begin")
                    .put("checkpoint", checkpoints.get(2)).put("mode", "export").put("ttl", "PT1H"));
            JsonNode exported = rig.event(probe, begin, "restore-exported");
            long readyMs = (System.nanoTime() - sent) / 1_000_000;
            restoreId = exported.get("restoreId").asText();
            JsonNode nbd = exported.get("nbd");
            socket = Path.of(nbd.get("server").get("socket").asText());
            assertThat(nbd.get("server").get("transport").asText()).isEqualTo("unix");
            assertThat(nbd.get("server").get("tls").asBoolean()).isTrue();
            assertThat(socket.getParent()).isEqualTo(qemu.disk("vda").image().getParent());
            assertThat(exported.get("checkpoint").asText()).isEqualTo(checkpoints.get(2));
            assertThat(exported.get("expiresAt").asText()).isNotBlank();
            String uri = nbd.get("exports").get(0).get("uri").asText();
            Path key = keyFile(nbd.get("psk"), run);

            Path copy = qemu.file("exported-" + run + ".raw");
            long copyStart = System.nanoTime();
            run("nbdcopy", uri + "&tls-psk-file=" + key, copy.toString());
            long copyMs = (System.nanoTime() - copyStart) / 1_000_000;
            assertThat(identical(copy, "raw", expected(2, run), "qcow2")).as("the export at %s", checkpoints.get(2))
                    .isTrue();
            assertThat(exec("nbdinfo", uri)).as("without its key").isNotZero();
            Path junk = qemu.file("junk-" + run + ".raw");
            run("qemu-img", "create", "-q", "-f", "raw", junk.toString(), Long.toString(SIZE));
            assertThat(exec("nbdcopy", junk.toString(), uri + "&tls-psk-file=" + key)).as("a write").isNotZero();

            JsonPath view = given().get("/api/v1/restore/jobs/{id}", restoreId).then().statusCode(200).extract()
                    .jsonPath();
            assertThat(view.getString("state")).isEqualTo("EXPORTED");
            assertThat(view.getString("mode")).isEqualTo("export");
            assertThat(view.getString("nbd.psk.key")).isEqualTo(nbd.get("psk").get("key").asText());
            given().get("/api/v1/restore/jobs/{id}", restoreId).then().statusCode(200)
                    .body("nbd.exports[0].uri", Matchers.equalTo(uri));

            // Ended over REST: answered by the export's restore-completed, which names the begin too.
            String end = "exp-end-" + UUID.randomUUID();
            given().header("Idempotency-Key", end).post("/api/v1/restore/jobs/{id}/end", restoreId).then()
                    .statusCode(Matchers.oneOf(200, 202));
            JsonNode completed = rig.event(probe, end, "restore-completed");
            assertThat(completed.get("commandId").asText()).isEqualTo(end);
            assertThat(completed.get("beginCommandId").asText()).isEqualTo(begin);
            assertThat(completed.get("mode").asText()).isEqualTo("export");
            assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
            assertThat(socket).doesNotExist();
            assertThat(exec("nbdinfo", uri + "&tls-psk-file=" + key)).as("nothing serves it").isNotZero();
            assertThat(probe.awaitCount(r -> r.value().contains(restoreId)
                    && r.value().contains("\"type\":\"restore-completed\""), 2, Duration.ofSeconds(3)))
                    .as("exactly one restore-completed").hasSize(1);
            given().get("/api/v1/restore/jobs/{id}", restoreId).then().body("state", Matchers.equalTo("COMPLETED"))
                    .body("nbd", Matchers.nullValue());
            given().header("Idempotency-Key", "exp-end2-" + run).post("/api/v1/restore/jobs/{id}/end", restoreId)
                    .then().statusCode(409).body("code", Matchers.equalTo("VIR_ERR_OPERATION_INVALID"))
                    .body("message", Matchers.containsString("has ended"));
            System.out.printf("instant restore: restore.begin to restore-exported %d ms; nbdcopy of the %d MiB "
                    + "export %d ms%n", readyMs, SIZE >> 20, copyMs);
        }

        // A copy restore aborted by restore.end (this agent writes restores at 1 MiB/s): the end is answered by the
        // restore-completed, the begin is refused with libvirt's "operation aborted", and no image is left.
        try (TopicProbe probe = probe()) {
            String copy = "exp-copy-" + UUID.randomUUID();
            Path target = qemu.disk("vda").image().resolveSibling("aborted-" + run + ".qcow2");
            ObjectNode command = RealAgentRig.command(qemu, copy, "restore.begin").put("checkpoint",
                    checkpoints.get(2));
            command.putArray("disks").addObject().put("name", "vda").put("path", target.toString());
            RealAgentRig.send(probe, qemu, command);
            String copyId = await("the copy restore running").atMost(RealAgentRig.WAIT).until(() -> given()
                    .get("/api/v1/domains/{domain}/restore/jobs", qemu.domain()).then().statusCode(200).extract()
                    .jsonPath().getList("findAll { it.commandId == '" + copy + "' && it.state == 'RUNNING' }"
                            + ".restoreId", String.class), ids -> !ids.isEmpty()).get(0);
            String abort = "exp-abort-" + UUID.randomUUID();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, abort, "restore.end").put("restoreId",
                    copyId));
            JsonNode aborted = rig.event(probe, abort, "restore-completed");
            assertThat(aborted.get("beginCommandId").asText()).isEqualTo(copy);
            assertThat(aborted.get("success").asBoolean()).isFalse();
            assertThat(aborted.get("error").get("code").asText()).isEqualTo("VIR_ERR_OPERATION_ABORTED");
            assertThat(aborted.get("disks")).isEmpty();
            JsonNode refused = rig.event(probe, copy, "command-rejected");
            assertThat(refused.get("error").get("code").asText()).isEqualTo("VIR_ERR_OPERATION_ABORTED");
            assertThat(refused.get("error").get("number").asInt()).isEqualTo(78);
            assertThat(refused.get("error").get("message").asText()).isEqualTo("operation aborted: restore " + copyId
                    + " was aborted by restore.end");
            assertThat(target).as("the half-written copy is deleted").doesNotExist();
            assertThat(probe.awaitCount(r -> r.value().contains(copyId)
                    && r.value().contains("\"type\":\"restore-completed\""), 2, Duration.ofSeconds(3)))
                    .as("exactly one restore-completed").hasSize(1);
            given().get("/api/v1/restore/jobs/{id}", copyId).then().body("state", Matchers.equalTo("FAILED"));
            given().header("Idempotency-Key", "exp-abort2-" + run).post("/api/v1/restore/jobs/{id}/end", copyId)
                    .then().statusCode(409).body("code", Matchers.equalTo("VIR_ERR_OPERATION_INVALID"))
                    .body("message", Matchers.containsString("has ended"));
        }

        // Its ttl ends an export on its own: a restore-completed with the begin's commandId.
        try (TopicProbe probe = probe()) {
            String shortLived = "exp-ttl-" + UUID.randomUUID();
            given().header("Idempotency-Key", shortLived).contentType("application/json")
                    .body(Map.of("checkpoint", checkpoints.get(1), "mode", "export", "ttl", "PT2S",
                            "disks", List.of(Map.of("name", "vda"))))
                    .post("/api/v1/domains/{domain}/restore", qemu.domain()).then()
                    .statusCode(Matchers.oneOf(200, 202));
            JsonNode exported = rig.event(probe, shortLived, "restore-exported");
            JsonNode ended = rig.event(probe, shortLived, "restore-completed");
            assertThat(ended.get("commandId").asText()).isEqualTo(shortLived);
            assertThat(ended.get("beginCommandId")).isNull();
            assertThat(ended.get("success").asBoolean()).as(ended.toString()).isTrue();
            assertThat(Path.of(exported.get("nbd").get("server").get("socket").asText())).doesNotExist();
        }

        // An agent killed while its export serves: restarted, it stops the daemon and the export ends FAILED.
        try (TopicProbe probe = probe()) {
            String lost = "exp-lost-" + UUID.randomUUID();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, lost, "restore.begin")
                    .put("checkpoint", checkpoints.get(0)).put("mode", "export"));
            JsonNode exported = rig.event(probe, lost, "restore-exported");
            Path lostSocket = Path.of(exported.get("nbd").get("server").get("socket").asText());
            rig.agent().kill9();
            rig.agent().restart();
            JsonNode failed = rig.event(probe, lost, "restore-completed");
            assertThat(failed.get("success").asBoolean()).isFalse();
            assertThat(failed.get("error").get("message").asText()).contains("restarted");
            await().atMost(RealAgentRig.WAIT).until(() -> !Files.exists(lostSocket));
        }

        // Refused with libvirt's errors.
        given().contentType("application/json").body(Map.of("checkpoint", checkpoints.get(2), "mode", "export",
                        "ttl", "P30D"))
                .post("/api/v1/domains/{domain}/restore", qemu.domain()).then().statusCode(400)
                .body("code", Matchers.equalTo("VIR_ERR_INVALID_ARG")).body("message", Matchers.containsString("ttl"));
        given().post("/api/v1/restore/jobs/{id}/end", "no-such-restore").then().statusCode(404)
                .body("code", Matchers.equalTo("VIR_ERR_NO_DOMAIN_BACKUP"));
    }

    /** Backups 1 (full) to 3, each creating checkpoint {@code eN-<run>}, with the guest writing in between. */
    private static List<String> backUpThreeTimes(String run) throws Exception {
        List<String> checkpoints = new ArrayList<>();
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(qemu)) {
            for (int i = 1; i <= 3; i++) {
                if (i > 1) {
                    guestWrite(qmp, WRITES.get(i - 2));
                }
                String checkpoint = "e" + i + "-" + run;
                String incremental = i == 1 ? "" : "<incremental>" + checkpoints.get(i - 2) + "</incremental>";
                String begin = beginBackup(probe, qemu, "exp-backup-", "<domainbackup>" + incremental
                        + "</domainbackup>", "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
                JsonNode completed = rig.event(probe, begin, "backup-completed");
                assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
                checkpoints.add(checkpoint);
            }
            guestWrite(qmp, WRITES.get(2)); // after the last backup: the export must not show it
        }
        return checkpoints;
    }

    /** The disk after its initial data and the first {@code writes} writes. */
    private static Path expected(int writes, String run) {
        Path image = qemu.file("want-" + writes + "-" + run + ".qcow2");
        if (!Files.exists(image)) {
            QemuImg.createQcow2(image, SIZE, qemu.logFile());
            List<PatternWrite> all = new ArrayList<>(INITIAL);
            all.addAll(WRITES.subList(0, writes));
            QemuImg.writePatterns(image, all, qemu.logFile());
        }
        return image;
    }

    /** The client's side of the key: {@code username:key} in a file only it can read. */
    private static Path keyFile(JsonNode psk, String run) throws Exception {
        Path file = Files.createFile(qemu.file("client-" + run + ".psk"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, psk.get("username").asText() + ":" + psk.get("key").asText() + "\n");
        return file;
    }

    private static void guestWrite(QmpProbe qmp, PatternWrite write) throws Exception {
        String reply = qmp.execute("human-monitor-command", QmpProbe.arguments().put("command-line", "qemu-io -d "
                + qemu.disk("vda").qemuIoBackend() + " \"" + write.qemuIoCommand() + "\"")).asText();
        assertThat(reply).isEmpty();
    }

    private static boolean identical(Path a, String formatA, Path b, String formatB) throws Exception {
        return exec("qemu-img", "compare", "-f", formatA, "-F", formatB, a.toString(), b.toString()) == 0;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    private static int exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}
