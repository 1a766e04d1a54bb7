package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.WAIT;
import static io.cairn.backup.messaging.RealAgentRig.assertExactlyOneCompleted;
import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.command;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.cairn.backup.messaging.RealAgentRig.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.json.CairnJson;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole backup path with real parts: a begin command on Kafka, the backup-service, a real host-agent process and
 * a real QEMU. The disk lives in the domain's directory under the agent's storage root ({@code <root>/<domain>/}), so
 * libvirt's default target name ({@code <disk>.<suffix>}, beside the disk) is one the agent accepts.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupsWithRealAgentTest {
    private static final Logger LOG = Logger.getLogger(BackupsWithRealAgentTest.class);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static RealAgentRig rig;
    private static GuestlessQemu qemu;
    private static String domain;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemu() {
        rig = RealAgentRig.start();
        qemu = rig.vm("bk-vm", new DiskSpec("vda", 32L << 20, List.of(new PatternWrite(0xab, 0, 1 << 20),
                new PatternWrite(0x5c, 20L << 20, 3L << 20))),
                new DiskSpec("vdb", 16L << 20, List.of(new PatternWrite(0x11, 4L << 20, 1 << 20))));
        domain = qemu.domain();
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aFullPushBackupStartsCompletesAndItsTargetEqualsTheDisk() throws Exception {
        endJobsLeftByOtherTests();
        awaitInventory(hosts, qemu);
        try (TopicProbe probe = probe()) {
            String begin = "begin-" + UUID.randomUUID();
            long sent = System.nanoTime();
            send(probe, qemu, command(qemu, begin, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>"));

            JsonNode started = rig.event(probe, begin, "backup-started");
            long startedAt = System.nanoTime();
            assertThat(started.get("mode").asText()).as(started.toString()).isEqualToIgnoringCase("push");
            assertThat(started.get("disks")).extracting(d -> d.get("name").asText()).containsExactly("vda", "vdb");
            for (JsonNode disk : started.get("disks")) {
                assertThat(disk.get("backupmode").asText()).isEqualToIgnoringCase("full");
                assertThat(disk.at("/store/path").asText()).as("libvirt's default name: source path plus Unix time")
                        .matches(java.util.regex.Pattern.quote(qemu.disk(disk.get("name").asText()).image()
                                .toString()) + "\\.[0-9]{10}");
            }

            JsonNode completed = rig.event(probe, begin, "backup-completed");
            long completedAt = System.nanoTime();
            assertThat(completed.get("jobId").asText()).isEqualTo(started.get("jobId").asText());
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualToIgnoringCase("completed");
            assertThat(completed.get("success").asBoolean()).isTrue();
            assertThat(completed.has("errmsg")).isFalse();
            for (JsonNode disk : started.get("disks")) {
                Path target = Path.of(disk.at("/store/path").asText());
                assertThat(Files.isRegularFile(target)).isTrue();
                assertThat(QemuImg.identical(qemu.disk(disk.get("name").asText()).image(), target,
                        rig.agent().storageDir().resolve("compare.log"))).as("qemu-img compare of %s", target).isTrue();
            }
            LOG.infof("32+16 MiB full push: command -> backup-started %d ms, -> backup-completed %d ms",
                    (startedAt - sent) / 1_000_000, (completedAt - sent) / 1_000_000);

            // The job ended: exactly one backup-completed, and no job is left to abort.
            String abort = "abort-" + UUID.randomUUID();
            send(probe, qemu, command(qemu, abort, "backup.abort"));
            assertThat(rig.event(probe, abort, "command-rejected").at("/error/code").asText())
                    .isEqualTo("VIR_ERR_OPERATION_INVALID");
            assertExactlyOneCompleted(probe, begin, Duration.ofSeconds(2));
        }
    }

    @Test
    void theFleetEndpointShowsTheAgentsHostWithTheDomainAndItsDisks() {
        awaitInventory(hosts, qemu);
        String disks = "find { it.hostId == '%s' }.domains.find { it.name == '%s' }.disks".formatted(
                rig.agent().hostId(), domain);
        io.restassured.RestAssured.given().get("/api/v1/hosts").then().statusCode(200)
                .body(disks + ".device", org.hamcrest.Matchers.contains("vda", "vdb"))
                .body(disks + ".virtualSize", org.hamcrest.Matchers.contains(32 << 20, 16 << 20))
                .body(disks + ".file", org.hamcrest.Matchers.contains(qemu.disk("vda").image().toString(),
                        qemu.disk("vdb").image().toString()));
    }

    @Test
    void aBeginOverRestAnswers202WithItsJobWhichCanBeFollowedToCompletion() throws Exception {
        endJobsLeftByOtherTests();
        awaitInventory(hosts, qemu);
        String key = "rest-begin-" + UUID.randomUUID();
        String target = qemu.disk("vdb").image() + ".rest-" + key.substring(11, 19);
        String jobId = io.restassured.RestAssured.given().header("Idempotency-Key", key)
                .contentType(io.restassured.http.ContentType.JSON)
                .body(JSON.createObjectNode().put("backupXml", "<domainbackup><disks><disk name='vda' backup='no'/>"
                        + "<disk name='vdb' type='file'><target file='" + target + "'/></disk></disks>"
                        + "</domainbackup>").toString())
                .post("/api/v1/domains/{domain}/backup", domain).then().statusCode(202)
                .body("commandId", org.hamcrest.Matchers.equalTo(key))
                .body("job", org.hamcrest.Matchers.startsWith("/api/v1/backup/jobs/"))
                .extract().path("jobId");
        await().atMost(WAIT).untilAsserted(() -> io.restassured.RestAssured.given()
                .get("/api/v1/backup/jobs/{id}", jobId).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("COMPLETED")));
        assertThat(QemuImg.identical(qemu.disk("vdb").image(), Path.of(target),
                rig.agent().storageDir().resolve("compare.log"))).isTrue();
    }

    @Test
    void anIncrementalFromAnUnknownCheckpointIsRefusedAsLibvirtDoes() throws Exception {
        awaitInventory(hosts, qemu);
        try (TopicProbe probe = probe()) {
            String begin = beginBackup(probe, qemu, "incr-",
                    "<domainbackup><incremental>nosuch</incremental></domainbackup>");
            JsonNode rejected = rig.event(probe, begin, "command-rejected");
            assertThat(rejected.at("/error/code").asText()).as(rejected.toString())
                    .isEqualTo("VIR_ERR_NO_DOMAIN_CHECKPOINT");
            assertThat(rejected.at("/error/message").asText())
                    .isEqualTo("Checkpoint 'nosuch' for incremental backup of disk 'vda' not found");
        }
    }

    /**
     * Other tests leave jobs "running" on hosts that never existed; without the deadline sweeper (not wired yet) they
     * would hold the fleet's slots for good and this job would wait in the queue.
     */
    private void endJobsLeftByOtherTests() throws Exception {
        try (var connection = database.getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate("update backup_job set state = 'FAILED', ended_at = now(), "
                    + "error = coalesce(error, 'ended by BackupsWithRealAgentTest'), version = version + 1 "
                    + "where state in ('QUEUED', 'STARTING', 'RUNNING')");
        }
    }

    @Test
    void anIncrementalFromACheckpointBrokenOnOneDiskIsRefusedByTheAgent() throws Exception {
        awaitInventory(hosts, qemu);
        try (TopicProbe probe = probe()) {
            // A backup that creates checkpoint c1 with a bitmap on vda only: c1 is then unusable for vdb.
            String first = beginBackup(probe, qemu, "with-chk-", "<domainbackup mode='push'/>",
                    "<domaincheckpoint><name>c1</name><disks><disk name='vda' checkpoint='bitmap'/>"
                            + "<disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>");
            JsonNode started = rig.event(probe, first, "backup-started");
            assertThat(started.at("/checkpoint/name").asText()).isEqualTo("c1");
            assertThat(started.at("/disks/0/store/path").asText()).as("suffix: the new checkpoint's name")
                    .isEqualTo(qemu.disk("vda").image() + ".c1");
            assertThat(rig.event(probe, first, "backup-completed").get("success").asBoolean()).isTrue();
            await().atMost(WAIT).until(() -> hosts.find(domain).orElseThrow().domain().disks().stream()
                    .anyMatch(disk -> disk.bitmaps().stream().anyMatch(b -> b.name().equals("c1"))));

            String incremental = beginBackup(probe, qemu, "incr-broken-", "<domainbackup><incremental>c1</incremental>"
                    + "<disks><disk name='vda' type='file'><target file='" + qemu.store("i-vda")
                    + "'/></disk><disk name='vdb' type='file'><target file='"
                    + qemu.store("i-vdb") + "'/></disk></disks></domainbackup>");
            JsonNode rejected = rig.event(probe, incremental, "command-rejected");
            assertThat(rejected.at("/error/code").asText()).as(rejected.toString())
                    .isEqualTo("VIR_ERR_CHECKPOINT_INCONSISTENT");
            assertThat(rejected.at("/error/message").asText()).contains("'c1'").contains("'vdb'");
        }
    }
}
