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
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Backups that fail on a real host (issue #6): a full target filesystem, QEMU killed and the agent killed mid-job,
 * each followed from outside (events topic, REST, a second QMP monitor) to its one backup-completed and a clean host.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupFailuresWithRealAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final long MIB = 1L << 20;
    /** Every per-disk job copies 1 MiB/s, so a job of a few MiB still runs when the test kills something. */
    private static final long JOB_SPEED = MIB;

    private static AgentProcess agent;
    private static final List<GuestlessQemu> vms = new ArrayList<>();

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgent() {
        // Two jobs per host, as backup-service's max-per-host: a slot a failed job leaked on either side shows.
        agent = AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap(), "-Dcairn.agent.job-speed=" + JOB_SPEED,
                "-Dcairn.agent.max-concurrent-jobs=2");
    }

    @AfterAll
    static void stop() {
        vms.forEach(GuestlessQemu::close);
        if (agent != null) {
            agent.close();
        }
    }

    /** Jobs other classes left "running" on hosts that never existed would hold the fleet's slots. */
    @BeforeEach
    void endJobsLeftByOtherTests() throws Exception {
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(
                "update backup_job set state = 'FAILED', ended_at = now(), "
                        + "error = coalesce(error, 'ended by BackupFailuresWithRealAgentTest'), version = version + 1 "
                        + "where state in ('QUEUED', 'STARTING', 'RUNNING') and host_id <> ?")) {
            statement.setString(1, agent.hostId());
            statement.executeUpdate();
        }
    }

    @Test
    @Order(0)
    void aRunningPushReportsProgressWithLibvirtsStatisticsAtMostOncePerInterval() throws Exception {
        GuestlessQemu vm = vm("pr", 16 * MIB, List.of(new PatternWrite(0x5e, 0, 16 * MIB)));
        awaitInventory(vm);
        try (TopicProbe probe = probe()) {
            String begin = "progress-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, vm.domain(), command(vm, begin, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>").toString());
            event(probe, begin, "backup-started");
            JsonNode completed = event(probe, begin, "backup-completed");
            assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();

            // 16 MiB at 1 MiB/s with the contract's 5 s progress interval: several reports, each libvirt's push
            // statistics, growing, never done, and never two within the interval.
            List<JsonNode> progress = new java.util.ArrayList<>();
            for (var record : probe.seen(r -> r.value().contains("\"commandId\":\"" + begin + "\"")
                    && r.value().contains("\"type\":\"backup-progress\""))) {
                progress.add(JSON.readTree(record.value()));
            }
            assertThat(progress).as("backup-progress events").hasSizeGreaterThanOrEqualTo(2);
            long lastProcessed = -1;
            java.time.Instant lastTime = null;
            for (JsonNode event : progress) {
                JsonNode stats = event.get("statistics");
                assertThat(stats.get("disk_total").asLong()).isEqualTo(16 * MIB);
                assertThat(stats.get("disk_processed").asLong()).isGreaterThanOrEqualTo(lastProcessed)
                        .isLessThanOrEqualTo(16 * MIB);
                assertThat(stats.get("disk_remaining").asLong())
                        .isEqualTo(16 * MIB - stats.get("disk_processed").asLong());
                assertThat(stats.get("time_elapsed").asLong()).isPositive();
                java.time.Instant time = java.time.Instant.parse(event.get("time").asText());
                if (lastTime != null) {
                    assertThat(java.time.Duration.between(lastTime, time)).isGreaterThanOrEqualTo(
                            io.cairn.events.event.BackupProgressEvent.MIN_INTERVAL.minusMillis(100));
                }
                lastProcessed = stats.get("disk_processed").asLong();
                lastTime = time;
            }
            assertThat(completed.at("/statistics/disk_processed").asLong()).isEqualTo(16 * MIB);
        }
    }

    @Test
    @Order(1)
    void aFullTargetFilesystemFailsTheJobWithQemusErrorRemovesThePartialTargetAndKeepsTheCheckpoint()
            throws Exception {
        GuestlessQemu vm = vm("ns", 32 * MIB);
        QemuDisk vda = vm.disk("vda");
        try (SmallTmpfs small = SmallTmpfs.mount(agent.storageDir().resolve("small-" + vm.domain()), "8m");
                TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            writeRandom(vm, qmp, vda);
            awaitInventory(vm);
            Path target = small.path().resolve("vda.c1");
            String begin = "enospc-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, vm.domain(), command(vm, begin, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'><disks><disk name='vda' type='file'><target file='"
                            + target + "'/></disk></disks></domainbackup>")
                    .put("checkpointXml", "<domaincheckpoint><name>c1</name></domaincheckpoint>").toString());
            JsonNode started = event(probe, begin, "backup-started");
            // checkpoint-service records this checkpoint in the lineage on exactly this event.
            assertThat(started.at("/checkpoint/name").asText()).as(started.toString()).isEqualTo("c1");
            assertThat(started.at("/disks/0/store/path").asText()).isEqualTo(target.toString());
            unthrottle(qmp);

            JsonNode completed = event(probe, begin, "backup-completed");
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("failed");
            assertThat(completed.get("success").asBoolean()).isFalse();
            assertThat(completed.get("errmsg").asText()).as("QEMU's error").isEqualTo("No space left on device");
            assertExactlyOneCompleted(probe, begin);
            assertJobState(started, "FAILED");

            assertThat(Files.exists(target)).as("partial target %s deleted", target).isFalse();
            assertThat(small.usedBytes()).as("its space given back").isLessThan(MIB);
            // libvirt keeps a checkpoint once its backup started (qemuBackupBegin finalizes it right after the
            // transaction; qemuBackupJobTerminate never rolls it back), so bitmap and lineage agree.
            assertHostClean(qmp, vda, List.of("c1"));
        }
    }

    @Test
    @Order(2)
    void qemuKilledMidJobFailsItOnceLosesTheNewBitmapAndFreesTheHostsSlots() throws Exception {
        GuestlessQemu vm = vm("qk", 16 * MIB);
        GuestlessQemu first = vm("q1", 8 * MIB);
        GuestlessQemu second = vm("q2", 8 * MIB);
        awaitInventory(vm);
        awaitInventory(first);
        awaitInventory(second);
        try (TopicProbe probe = probe()) {
            String begin = "qemu-kill-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, vm.domain(), command(vm, begin, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>")
                    .put("checkpointXml", "<domaincheckpoint><name>c1</name></domaincheckpoint>").toString());
            JsonNode started = event(probe, begin, "backup-started");
            Path target = Path.of(started.at("/disks/0/store/path").asText());
            assertThat(Files.isRegularFile(target)).isTrue();
            vm.kill9();

            JsonNode completed = event(probe, begin, "backup-completed");
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("failed");
            assertThat(completed.get("success").asBoolean()).isFalse();
            assertThat(completed.get("errmsg").asText()).isEqualTo("QEMU exited while the backup was running");
            assertExactlyOneCompleted(probe, begin);
            assertJobState(started, "FAILED");
            assertThat(Files.exists(target)).as("partial target %s deleted", target).isFalse();

            // Both slots of the host are free again: two new backups on other domains run at the same time.
            String one = "after-kill-1-" + UUID.randomUUID();
            String two = "after-kill-2-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, first.domain(), command(first, one, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>").toString());
            probe.send(Topics.BACKUP_COMMANDS, second.domain(), command(second, two, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>").toString());
            event(probe, one, "backup-started");
            event(probe, two, "backup-started");
            assertThat(probe.seen(r -> r.value().contains("\"type\":\"backup-completed\"")
                    && (r.value().contains(one) || r.value().contains(two))))
                    .as("both started before either ended (8 MiB at 1 MiB/s)").isEmpty();
            assertThat(event(probe, one, "backup-completed").get("success").asBoolean()).isTrue();
            assertThat(event(probe, two, "backup-completed").get("success").asBoolean()).isTrue();

            // QEMU keeps a bitmap added since it started only on a clean close: after SIGKILL c1 is gone.
            vm.restart();
            try (QmpProbe qmp = QmpProbe.connect(vm)) {
                assertHostClean(qmp, vm.disk("vda"), List.of());
            }
        }
    }

    /** Last: the killed agent's Kafka consumers stay in its group until their session times out. */
    @Test
    @Order(3)
    void anAgentKilledMidJobIsReplacedByOneThatAdoptsTheJobWhichCompletesOnce() throws Exception {
        List<PatternWrite> data = List.of(new PatternWrite(0x3c, 0, 20 * MIB));
        GuestlessQemu vm = vm("ak", 20 * MIB, data);
        QemuDisk vda = vm.disk("vda");
        awaitInventory(vm);
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            String begin = "agent-kill-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, vm.domain(), command(vm, begin, "backup.begin")
                    .put("backupXml", "<domainbackup mode='push'/>")
                    .put("checkpointXml", "<domaincheckpoint><name>c1</name></domaincheckpoint>").toString());
            JsonNode started = event(probe, begin, "backup-started");
            Path target = Path.of(started.at("/disks/0/store/path").asText());
            agent.kill9();
            assertThat(qmp.jobs()).as("QEMU's job runs on without the agent").hasSize(1);
            agent.restart();
            unthrottle(qmp);

            JsonNode completed = event(probe, begin, "backup-completed");
            assertThat(completed.get("jobId").asText()).isEqualTo(started.get("jobId").asText());
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("completed");
            assertThat(completed.get("success").asBoolean()).isTrue();
            assertThat(agent.log()).contains("adopted job");
            assertExactlyOneCompleted(probe, begin);
            assertJobState(started, "COMPLETED");
            assertThat(QemuImg.identical(vda.image(), target, vm.logFile())).as("qemu-img compare of %s", target)
                    .isTrue();
            assertHostClean(qmp, vda, List.of("c1"));
        }
    }

    /** Nothing of the backup is left in QEMU: no job, no target node, no temporary bitmap, only these bitmaps. */
    private static void assertHostClean(QmpProbe qmp, QemuDisk disk, List<String> bitmaps) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(qmp.jobs()).as("jobs").isEmpty());
        assertThat(qmp.blockNodes()).as("block nodes: only the disk's own")
                .extracting(node -> node.path("node-name").asText() + "/" + node.path("drv").asText())
                .containsExactlyInAnyOrder(disk.formatNodeName() + "/qcow2", disk.storageNodeName() + "/file");
        assertThat(qmp.bitmapNames(disk.formatNodeName())).as("bitmaps of %s", disk.deviceId())
                .containsExactlyInAnyOrderElementsOf(bitmaps);
    }

    /** Lifts the agent's speed limit from the running jobs: the slow part of the test is over. */
    private static void unthrottle(QmpProbe qmp) {
        for (JsonNode job : qmp.jobs()) {
            try {
                qmp.execute("block-job-set-speed", QmpProbe.arguments().put("device", job.path("id").asText())
                        .put("speed", 0));
            } catch (IllegalStateException concluded) {
                // it ended meanwhile: nothing left to speed up
            }
        }
    }

    private static void assertExactlyOneCompleted(TopicProbe probe, String begin) {
        assertThat(probe.awaitCount(r -> r.value().contains("\"commandId\":\"" + begin + "\"")
                && r.value().contains("\"type\":\"backup-completed\""), 2, Duration.ofSeconds(3)))
                .as("exactly one backup-completed").hasSize(1);
    }

    private static void assertJobState(JsonNode started, String state) {
        RestAssured.given().get("/api/v1/backup/jobs/{id}", started.get("jobId").asText()).then().statusCode(200)
                .body("state", Matchers.equalTo(state));
    }

    /** 32 MiB that no filesystem or format can shrink, written as a guest would. */
    private static void writeRandom(GuestlessQemu vm, QmpProbe qmp, QemuDisk disk) throws Exception {
        byte[] bytes = new byte[(int) disk.sizeBytes()];
        new Random(6).nextBytes(bytes);
        Path source = vm.file("random.bin");
        Files.write(source, bytes);
        String reply = qmp.execute("human-monitor-command", QmpProbe.arguments().put("command-line", "qemu-io -d "
                + disk.qemuIoBackend() + " \"write -s " + source + " 0 " + bytes.length + "\"")).asText();
        assertThat(reply).isEmpty();
        assertThat(vm.log()).doesNotContain("write failed");
    }

    private static GuestlessQemu vm(String prefix, long size, PatternWrite... writes) {
        return vm(prefix, size, List.of(writes));
    }

    /** A domain on the agent's host, its disk inside the agent's storage root (libvirt's default target names). */
    private static GuestlessQemu vm(String prefix, long size, List<PatternWrite> writes) {
        List<PatternWrite> initial = writes.isEmpty() ? List.of(new PatternWrite(0x5a, 0, size)) : writes;
        String domain = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        GuestlessQemu qemu = GuestlessQemu.builder(agent.storageDir()).domain(domain)
                .disk("vda", size, initial.toArray(PatternWrite[]::new)).start();
        vms.add(qemu);
        agent.adopt(domain, qemu.qmpSocket());
        return qemu;
    }

    private void awaitInventory(GuestlessQemu vm) {
        await().atMost(WAIT).until(() -> hosts.find(vm.domain()).isPresent());
    }

    private static TopicProbe probe() {
        return TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.BACKUP_EVENTS);
    }

    private static ObjectNode command(GuestlessQemu vm, String commandId, String type) {
        return JSON.createObjectNode().put("commandId", commandId).put("type", type).put("domain", vm.domain());
    }

    private static JsonNode event(TopicProbe probe, String commandId, String type) {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.topic().equals(Topics.BACKUP_EVENTS)
                && r.value().contains("\"commandId\":\"" + commandId + "\"")
                && r.value().contains("\"type\":\"" + type + "\""), 1, WAIT);
        assertThat(found).as("%s for %s (events: %s; agent log:%n%s)", type, commandId,
                probe.seen(r -> r.value().contains(commandId)).stream().map(ConsumerRecord::value).toList(),
                agent.log()).hasSize(1);
        try {
            return JSON.readTree(found.get(0).value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
