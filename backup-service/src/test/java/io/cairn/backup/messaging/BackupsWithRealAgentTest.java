package io.cairn.backup.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.backup.agent.HostDirectory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.stack.LocalStack;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole backup path with real parts: a begin command on Kafka, the backup-service, a real host-agent process and
 * a real QEMU. The disk lives under the agent's storage root, so libvirt's default target name
 * ({@code <disk>.<suffix>}, beside the disk) is one the agent accepts.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupsWithRealAgentTest {
    private static final Logger LOG = Logger.getLogger(BackupsWithRealAgentTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static AgentProcess agent;
    private static GuestlessQemu qemu;
    private static String domain;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemu() {
        domain = "bk-vm-" + UUID.randomUUID().toString().substring(0, 8);
        agent = AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap());
        qemu = GuestlessQemu.builder(agent.storageDir()).domain(domain)
                .disk("vda", 32L << 20, new PatternWrite(0xab, 0, 1 << 20), new PatternWrite(0x5c, 20L << 20,
                        3L << 20)).disk("vdb", 16L << 20, new PatternWrite(0x11, 4L << 20, 1 << 20)).start();
        agent.adopt(domain, qemu.qmpSocket());
    }

    @AfterAll
    static void stop() {
        if (qemu != null) {
            qemu.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aFullPushBackupStartsCompletesAndItsTargetEqualsTheDisk() throws Exception {
        endJobsLeftByOtherTests();
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.BACKUP_EVENTS)) {
            String begin = "begin-" + UUID.randomUUID();
            long sent = System.nanoTime();
            probe.send(Topics.BACKUP_COMMANDS, domain, command(begin, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>").toString());

            JsonNode started = event(probe, begin, "backup-started");
            long startedAt = System.nanoTime();
            assertThat(started.get("mode").asText()).as(started.toString()).isEqualToIgnoringCase("push");
            assertThat(started.get("disks")).extracting(d -> d.get("name").asText()).containsExactly("vda", "vdb");
            for (JsonNode disk : started.get("disks")) {
                assertThat(disk.get("backupmode").asText()).isEqualToIgnoringCase("full");
                assertThat(disk.at("/store/path").asText()).as("libvirt's default name: source path plus Unix time")
                        .matches(java.util.regex.Pattern.quote(qemu.disk(disk.get("name").asText()).image()
                                .toString()) + "\\.[0-9]{10}");
            }

            JsonNode completed = event(probe, begin, "backup-completed");
            long completedAt = System.nanoTime();
            assertThat(completed.get("jobId").asText()).isEqualTo(started.get("jobId").asText());
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualToIgnoringCase("completed");
            assertThat(completed.get("success").asBoolean()).isTrue();
            assertThat(completed.has("errmsg")).isFalse();
            for (JsonNode disk : started.get("disks")) {
                Path target = Path.of(disk.at("/store/path").asText());
                assertThat(Files.isRegularFile(target)).isTrue();
                assertThat(QemuImg.identical(qemu.disk(disk.get("name").asText()).image(), target,
                        agent.storageDir().resolve("compare.log"))).as("qemu-img compare of %s", target).isTrue();
            }
            LOG.infof("32+16 MiB full push: command -> backup-started %d ms, -> backup-completed %d ms",
                    (startedAt - sent) / 1_000_000, (completedAt - sent) / 1_000_000);

            // The job ended: exactly one backup-completed, and no job is left to abort.
            String abort = "abort-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, command(abort, "backup.abort").toString());
            assertThat(event(probe, abort, "command-rejected").at("/error/code").asText())
                    .isEqualTo("VIR_ERR_OPERATION_INVALID");
            assertThat(probe.awaitCount(r -> r.value().contains("\"commandId\":\"" + begin + "\"")
                    && r.value().contains("\"type\":\"backup-completed\""), 2, Duration.ofSeconds(2)))
                    .as("exactly one backup-completed").hasSize(1);
        }
    }

    @Test
    void theFleetEndpointShowsTheAgentsHostWithTheDomainAndItsDisks() {
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        String disks = "find { it.hostId == '%s' }.domains.find { it.name == '%s' }.disks".formatted(agent.hostId(),
                domain);
        io.restassured.RestAssured.given().get("/api/v1/hosts").then().statusCode(200)
                .body(disks + ".device", org.hamcrest.Matchers.contains("vda", "vdb"))
                .body(disks + ".virtualSize", org.hamcrest.Matchers.contains(32 << 20, 16 << 20))
                .body(disks + ".file", org.hamcrest.Matchers.contains(qemu.disk("vda").image().toString(),
                        qemu.disk("vdb").image().toString()));
    }

    @Test
    void aBeginOverRestAnswers202WithItsJobWhichCanBeFollowedToCompletion() throws Exception {
        endJobsLeftByOtherTests();
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
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
                agent.storageDir().resolve("compare.log"))).isTrue();
    }

    @Test
    void anIncrementalFromAnUnknownCheckpointIsRefusedAsLibvirtDoes() throws Exception {
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.BACKUP_EVENTS)) {
            String begin = "incr-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, command(begin, "backup.begin")
                    .put("backupXml", "<domainbackup><incremental>nosuch</incremental></domainbackup>").toString());
            JsonNode rejected = event(probe, begin, "command-rejected");
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
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.BACKUP_EVENTS)) {
            // A backup that creates checkpoint c1 with a bitmap on vda only: c1 is then unusable for vdb.
            String first = "with-chk-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, command(first, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>")
                    .put("checkpointXml", "<domaincheckpoint><name>c1</name><disks><disk name='vda' "
                            + "checkpoint='bitmap'/><disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>")
                    .toString());
            JsonNode started = event(probe, first, "backup-started");
            assertThat(started.at("/checkpoint/name").asText()).isEqualTo("c1");
            assertThat(started.at("/disks/0/store/path").asText()).as("suffix: the new checkpoint's name")
                    .isEqualTo(qemu.disk("vda").image() + ".c1");
            assertThat(event(probe, first, "backup-completed").get("success").asBoolean()).isTrue();
            await().atMost(WAIT).until(() -> hosts.find(domain).orElseThrow().domain().disks().stream()
                    .anyMatch(disk -> disk.bitmaps().stream().anyMatch(b -> b.name().equals("c1"))));

            String incremental = "incr-broken-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, command(incremental, "backup.begin")
                    .put("backupXml", "<domainbackup><incremental>c1</incremental><disks>"
                            + "<disk name='vda' type='file'><target file='" + agent.storageDir().resolve("i-vda")
                            + "'/></disk><disk name='vdb' type='file'><target file='"
                            + agent.storageDir().resolve("i-vdb") + "'/></disk></disks></domainbackup>").toString());
            JsonNode rejected = event(probe, incremental, "command-rejected");
            assertThat(rejected.at("/error/code").asText()).as(rejected.toString())
                    .isEqualTo("VIR_ERR_CHECKPOINT_INCONSISTENT");
            assertThat(rejected.at("/error/message").asText()).contains("'c1'").contains("'vdb'");
        }
    }

    private static ObjectNode command(String commandId, String type) {
        return JSON.createObjectNode().put("commandId", commandId).put("type", type).put("domain", domain);
    }

    private static JsonNode event(TopicProbe probe, String commandId, String type) {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.topic().equals(Topics.BACKUP_EVENTS)
                && r.value().contains("\"commandId\":\"" + commandId + "\"")
                && r.value().contains("\"type\":\"" + type + "\""), 1, WAIT);
        assertThat(found).as("%s for %s (events: %s; agent log:%n%s)", type, commandId,
                probe.seen(r -> r.value().contains(commandId))
                .stream().map(ConsumerRecord::value).toList(), agent.log()).hasSize(1);
        try {
            return JSON.readTree(found.get(0).value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
