package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.backup.messaging.NbdReader.Extent;
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
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restore from pull backups' outputs with every real part (Kafka, PostgreSQL, backup-service, a host-agent process,
 * QEMU, libnbd): a two-disk VM backed up by a full pull and two incremental pulls, each read by the test as a client
 * would (over TLS-PSK: the full export copied whole, an incremental's dirty extents only, into a qcow2 whose backing
 * is the previous output); the outputs registered with backup.register over Kafka and REST; then restores of the
 * restore points they make equal to the disks at those checkpoints, and what is refused, and by whom.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class RegisterPullOutputsWithRealAgentTest {
    private static final Logger LOG = Logger.getLogger(RegisterPullOutputsWithRealAgentTest.class);
    private static final long SIZE = 16L << 20;
    private static final int BIG_MIB = 256;
    private static final List<String> DISKS = List.of("vda", "vdb");
    private static final Map<String, List<PatternWrite>> INITIAL = Map.of(
            "vda", List.of(new PatternWrite(0x3c, 0, 2 << 20)),
            "vdb", List.of(new PatternWrite(0x4d, 1 << 20, 1 << 20)));
    /** Per disk: before pull 2, before pull 3, after the last pull. */
    private static final Map<String, List<PatternWrite>> WRITES = Map.of(
            "vda", List.of(new PatternWrite(0x51, 4 << 20, 64 << 10), new PatternWrite(0x52, (8 << 20) + 4096, 4096),
                    new PatternWrite(0x53, 0, 1 << 20)),
            "vdb", List.of(new PatternWrite(0x61, 0, 4096), new PatternWrite(0x62, 12 << 20, 1 << 20),
                    new PatternWrite(0x63, 1 << 20, 2 << 20)));

    private static RealAgentRig rig;
    private static GuestlessQemu qemu;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    /** One pull job as its client saw it: the job, and per disk the file the client wrote. */
    private record Pulled(String jobId, String checkpoint, Map<String, Path> outputs) {
    }

    @BeforeAll
    static void startAgentAndQemu() {
        rig = RealAgentRig.start();
        qemu = rig.vm("reg-vm", new DiskSpec("vda", SIZE, INITIAL.get("vda")),
                new DiskSpec("vdb", SIZE, INITIAL.get("vdb")));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void registeredPullOutputsRestoreEveryDiskAsAtItsCheckpoint() throws Throwable {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "RegisterPullOutputsWithRealAgentTest");
        awaitInventory(hosts, qemu);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Pulled> pulls = pullThreeTimes(run);
        Pulled full = pulls.get(0);
        Pulled second = pulls.get(1);
        Pulled third = pulls.get(2);

        try (TopicProbe probe = probe()) {
            // Nothing is in the catalog for a pull until it is registered.
            given().get("/api/v1/domains/{domain}/restore-points/{checkpoint}", qemu.domain(), second.checkpoint())
                    .then().statusCode(404);

            // The incremental over REST first: its restore point exists, but the full below it is not registered.
            String overRest = "reg-rest-" + UUID.randomUUID();
            long sent = System.nanoTime();
            given().contentType("application/json").header("Idempotency-Key", overRest)
                    .body(Map.of("disks", DISKS.stream().map(disk -> Map.of("name", disk, "path",
                            second.outputs().get(disk).toString(), "format", "qcow2")).toList()))
                    .post("/api/v1/backup/jobs/{jobId}/artifacts", second.jobId()).then()
                    .statusCode(org.hamcrest.Matchers.oneOf(200, 202));
            JsonNode registered = rig.event(probe, overRest, "artifacts-registered");
            LOG.infof("register of 2 incremental outputs (%d bytes) over REST -> artifacts-registered %d ms",
                    bytes(second), (System.nanoTime() - sent) / 1_000_000);
            assertRegistered(registered, second, full.checkpoint());
            given().get("/api/v1/domains/{domain}/restore-points/{checkpoint}", qemu.domain(), second.checkpoint())
                    .then().statusCode(200).body("complete", org.hamcrest.Matchers.equalTo(false))
                    .body("disks[0].missing", org.hamcrest.Matchers.containsString("backup.register"));

            // The agent checks the format: the full's qcow2 outputs declared raw are refused, nothing recorded.
            String asRaw = register(probe, full, "raw");
            assertRejected(rig.event(probe, asRaw, "command-rejected"), "VIR_ERR_INVALID_ARG", "is a qcow2 image");

            // The full over Kafka: now both restore points stand.
            sent = System.nanoTime();
            String fullOverKafka = register(probe, full, "qcow2");
            registered = rig.event(probe, fullOverKafka, "artifacts-registered");
            LOG.infof("register of 2 full outputs (%d bytes) over Kafka -> artifacts-registered %d ms",
                    bytes(full), (System.nanoTime() - sent) / 1_000_000);
            assertRegistered(registered, full, null);

            // The live disk is no pull output (the service refuses it), nor is a file outside the domain's directory
            // (the agent refuses it); then the third's right files.
            Pulled live = new Pulled(third.jobId(), third.checkpoint(), Map.of("vda", qemu.disk("vda").image()));
            assertRejected(rig.event(probe, register(probe, live, "qcow2"), "command-rejected"),
                    "VIR_ERR_OPERATION_INVALID", "not a backup");
            Path outside = qemu.storageRoot().resolve("outside-" + run + ".qcow2");
            Files.copy(third.outputs().get("vda"), outside);
            String escaped = register(probe, new Pulled(third.jobId(), third.checkpoint(),
                    Map.of("vda", outside, "vdb", third.outputs().get("vdb"))), "qcow2");
            assertRejected(rig.event(probe, escaped, "command-rejected"), "VIR_ERR_OPERATION_DENIED",
                    "is outside");
            assertRegistered(rig.event(probe, register(probe, third, "qcow2"), "artifacts-registered"), third,
                    second.checkpoint());

            // Refused before anything is read.
            assertRejected(rig.event(probe, register(probe, full, "qcow2"), "command-rejected"),
                    "VIR_ERR_OPERATION_INVALID", "in the backup catalog already");
            assertRejected(rig.event(probe, register(probe, new Pulled("no-such-" + run, null, full.outputs()),
                    "qcow2"), "command-rejected"), "VIR_ERR_NO_DOMAIN_BACKUP", "no domain backup job");

            // Restores of the points the pulls made: every disk equals the disk at that checkpoint.
            for (int i = 1; i <= 2; i++) {
                String checkpoint = pulls.get(i).checkpoint();
                String restore = "reg-rst-" + UUID.randomUUID();
                RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, restore, "restore.begin")
                        .put("checkpoint", checkpoint));
                JsonNode completed = rig.event(probe, restore, "restore-completed");
                assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
                assertThat(completed.get("disks")).hasSize(2);
                for (JsonNode disk : completed.get("disks")) {
                    String name = disk.get("name").asText();
                    assertThat(disk.get("chain")).hasSize(i + 1);
                    assertThat(QemuImg.identical(Path.of(disk.get("path").asText()), expected(name, i, run),
                            qemu.logFile())).as("%s restored at %s", name, checkpoint).isTrue();
                }
            }

            // A push job's files are in the catalog already: registering them is refused.
            String push = beginBackup(probe, qemu, "reg-push-", "<domainbackup/>");
            JsonNode pushed = rig.event(probe, push, "backup-completed");
            assertThat(pushed.get("success").asBoolean()).as(pushed.toString()).isTrue();
            assertRejected(rig.event(probe, register(probe, new Pulled(pushed.get("jobId").asText(), null,
                    Map.of("vda", full.outputs().get("vda"))), "qcow2"), "command-rejected"),
                    "VIR_ERR_OPERATION_INVALID", "is a push backup");
        }

        measureABigOutput(run);

        // Verify reads the registered outputs like any artifact.
        String verify = given().contentType("application/json").body(Map.of("checkpoint", third.checkpoint()))
                .post("/api/v1/domains/{domain}/verify", qemu.domain()).then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 202)).extract().jsonPath().getString("restoreId");
        org.awaitility.Awaitility.await().atMost(RealAgentRig.WAIT).until(() -> given()
                .get("/api/v1/restore/jobs/{id}", verify).then().extract().jsonPath().getString("state")
                .matches("COMPLETED|FAILED"));
        io.restassured.path.json.JsonPath verified = given().get("/api/v1/restore/jobs/{id}", verify).then()
                .extract().jsonPath();
        assertThat(verified.getList("verdicts.intact", Boolean.class)).as(verified.prettify()).hasSize(6)
                .containsOnly(true);
    }

    /**
     * A measurement, not a client: a fourth (full, checkpoint-less) pull whose vda output is a 256 MiB raw file of
     * random bytes, so the time to register is the agent's read and SHA-256 of that much data.
     */
    private static void measureABigOutput(String run) throws Exception {
        try (TopicProbe probe = probe()) {
            String begin = beginBackup(probe, qemu, "reg-big-", "<domainbackup mode='pull'><server name='127.0.0.1' "
                    + "port='" + freePort() + "'/></domainbackup>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, "abort-" + UUID.randomUUID(), "backup.abort"));
            assertThat(rig.event(probe, begin, "backup-completed").get("success").asBoolean()).isTrue();
            Path big = qemu.store("vda.big-" + run + ".raw");
            byte[] block = new byte[1 << 20];
            java.util.Random random = new java.util.Random(7);
            try (java.io.OutputStream out = Files.newOutputStream(big)) {
                for (int i = 0; i < BIG_MIB; i++) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            long sent = System.nanoTime();
            String commandId = register(probe, new Pulled(started.get("jobId").asText(), null, Map.of("vda", big)),
                    "raw");
            JsonNode registered = rig.event(probe, commandId, "artifacts-registered");
            LOG.infof("register of one %d MiB output over Kafka -> artifacts-registered %d ms", BIG_MIB,
                    (System.nanoTime() - sent) / 1_000_000);
            assertThat(registered.at("/artifacts/0/size").asLong()).isEqualTo((long) BIG_MIB << 20);
            assertThat(registered.at("/artifacts/0/sha256").asText()).isEqualTo(sha256sum(big));
            assertThat(registered.at("/artifacts/0/checkpoint").isMissingNode()).as("the pull created none").isTrue();
            Files.delete(big);
        }
    }

    private static long bytes(Pulled pull) throws Exception {
        long total = 0;
        for (Path output : pull.outputs().values()) {
            total += Files.size(output);
        }
        return total;
    }

    /** Sends backup.register of the pull's outputs, all declared {@code format}; answers its commandId. */
    private static String register(TopicProbe probe, Pulled pull, String format) {
        String commandId = "reg-" + UUID.randomUUID();
        ObjectNode command = RealAgentRig.command(qemu, commandId, "backup.register").put("jobId", pull.jobId());
        ArrayNode disks = command.putArray("disks");
        pull.outputs().forEach((disk, path) -> disks.addObject().put("name", disk).put("path", path.toString())
                .put("format", format));
        RealAgentRig.send(probe, qemu, command);
        return commandId;
    }

    private static void assertRegistered(JsonNode event, Pulled pull, String incrementalFrom) throws Exception {
        assertThat(event.get("jobId").asText()).isEqualTo(pull.jobId());
        assertThat(event.get("artifacts")).as(event.toString()).hasSize(2);
        for (JsonNode artifact : event.get("artifacts")) {
            Path path = pull.outputs().get(artifact.get("disk").asText());
            assertThat(artifact.get("path").asText()).isEqualTo(path.toString());
            assertThat(artifact.get("checkpoint").asText()).isEqualTo(pull.checkpoint());
            assertThat(artifact.path("incrementalFrom").isMissingNode() ? null
                    : artifact.get("incrementalFrom").asText()).isEqualTo(incrementalFrom);
            assertThat(artifact.get("format").asText()).isEqualTo("qcow2");
            assertThat(artifact.get("size").asLong()).isEqualTo(Files.size(path));
            assertThat(artifact.get("sha256").asText()).isEqualTo(sha256sum(path));
        }
    }

    private static void assertRejected(JsonNode rejected, String code, String message) {
        assertThat(rejected.at("/error/code").asText()).as(rejected.toString()).isEqualTo(code);
        assertThat(rejected.at("/error/message").asText()).contains(message);
    }

    /**
     * Pulls 1 (full, creating p1) to 3 (each incremental from the previous, creating p2, p3), with the guest writing
     * in between and after; each read by the test as the client, then ended by backup.abort (a success).
     */
    private static List<Pulled> pullThreeTimes(String run) throws Exception {
        List<Pulled> pulls = new ArrayList<>();
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(qemu)) {
            for (int i = 1; i <= 3; i++) {
                if (i > 1) {
                    for (String disk : DISKS) {
                        guestWrite(qmp, disk, WRITES.get(disk).get(i - 2));
                    }
                }
                String checkpoint = "p" + i + "-" + run;
                Pulled previous = i == 1 ? null : pulls.get(i - 2);
                String incremental = previous == null ? "" : "<incremental>" + previous.checkpoint()
                        + "</incremental>";
                String begin = beginBackup(probe, qemu, "reg-pull-", "<domainbackup mode='pull'>" + incremental
                        + "<server name='127.0.0.1' port='" + freePort() + "'/></domainbackup>",
                        "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
                JsonNode started = rig.event(probe, begin, "backup-started");
                Path key = keyFile(started.at("/nbd/psk"), checkpoint);
                java.util.Map<String, Path> outputs = new java.util.LinkedHashMap<>();
                for (JsonNode export : started.at("/nbd/exports")) {
                    String disk = export.get("disk").asText();
                    String uri = export.get("uri").asText() + "?tls-psk-file=" + key;
                    Path output = qemu.store(disk + "." + checkpoint + ".qcow2");
                    if (previous == null) {
                        copyWhole(uri, output, checkpoint);
                    } else {
                        copyDirty(uri, export.get("bitmapContext").asText(), previous.outputs().get(disk), output,
                                checkpoint);
                    }
                    outputs.put(disk, output);
                }
                RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, "abort-" + UUID.randomUUID(),
                        "backup.abort"));
                JsonNode completed = rig.event(probe, begin, "backup-completed");
                assertThat(completed.get("success").asBoolean()).as("an aborted pull succeeds: %s", completed)
                        .isTrue();
                pulls.add(new Pulled(started.get("jobId").asText(), checkpoint, outputs));
            }
            for (String disk : DISKS) {
                guestWrite(qmp, disk, WRITES.get(disk).get(2));
            }
        }
        return pulls;
    }

    /** A full pull's client: the whole export copied with nbdcopy, kept as a sparse qcow2. */
    private static void copyWhole(String uri, Path output, String checkpoint) {
        Path raw = qemu.file("pulled-" + output.getFileName() + ".raw");
        NbdReader.copy(uri, raw);
        exec("qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw.toString(), output.toString());
    }

    /**
     * An incremental pull's client: a qcow2 overlay on the previous output, into which only the extents the export's
     * dirty bitmap marks are written (each one windowed on both sides, so nothing else lands in the overlay).
     */
    private static void copyDirty(String uri, String context, Path backing, Path output, String checkpoint) {
        List<Extent> dirty = NbdReader.dirtyExtents(uri, context);
        assertThat(dirty).as("the guest wrote before %s", checkpoint).isNotEmpty();
        Path raw = qemu.file("pulled-" + output.getFileName() + ".raw");
        NbdReader.copy(uri, raw);
        exec("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", backing.toString(), output.toString());
        for (Extent extent : dirty) {
            String window = "driver=raw,offset=" + extent.offset() + ",size=" + extent.length();
            exec("qemu-img", "convert", "-n", "--image-opts", window + ",file.driver=file,file.filename=" + raw,
                    "--target-image-opts", window + ",file.driver=qcow2,file.file.driver=file,file.file.filename="
                            + output);
        }
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

    /** The client's side of the key: {@code username:key} in a file only it can read. */
    private static Path keyFile(JsonNode psk, String checkpoint) throws Exception {
        Path file = Files.createFile(qemu.file("client-" + checkpoint + ".psk"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, psk.get("username").asText() + ":" + psk.get("key").asText() + "\n");
        return file;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void guestWrite(QmpProbe qmp, String disk, PatternWrite write) throws Exception {
        String reply = qmp.execute("human-monitor-command", QmpProbe.arguments().put("command-line", "qemu-io -d "
                + qemu.disk(disk).qemuIoBackend() + " \"" + write.qemuIoCommand() + "\"")).asText();
        assertThat(reply).isEmpty();
    }

    private static String sha256sum(Path file) throws Exception {
        return exec("sha256sum", file.toString()).split(" ")[0];
    }

    private static String exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
            return output;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
