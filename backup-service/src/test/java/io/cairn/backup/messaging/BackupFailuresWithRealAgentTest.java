package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.WAIT;
import static io.cairn.backup.messaging.RealAgentRig.assertOnlyTheDisksOwnNodesAndBitmaps;
import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
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
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
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
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final long MIB = 1L << 20;
    /** Every per-disk job copies 1 MiB/s, so a job of a few MiB still runs when the test kills something. */
    private static final long JOB_SPEED = MIB;

    private static RealAgentRig rig;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgent() {
        // Two jobs per host, as backup-service's max-per-host: a slot a failed job leaked on either side shows.
        rig = RealAgentRig.start("-Dcairn.agent.job-speed=" + JOB_SPEED, "-Dcairn.agent.max-concurrent-jobs=2");
    }

    /** Jobs other classes left "running" on hosts that never existed would hold the fleet's slots. */
    @BeforeEach
    void endJobsLeftByOtherTests() throws Exception {
        rig.endJobsOnOtherHosts(database, BackupFailuresWithRealAgentTest.class);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    @Order(0)
    void aRunningPushReportsProgressWithLibvirtsStatisticsAtMostOncePerInterval() throws Exception {
        // 32 s of copying at 1 MiB/s: at the contract's 5 s interval that leaves room for several reports even when a
        // loaded machine delivers the agent's reports late and in bunches (16 s once gave a single report in CI).
        long size = 32 * MIB;
        GuestlessQemu vm = vm("pr", size, List.of(new PatternWrite(0x5e, 0, size)));
        awaitInventory(hosts, vm);
        try (TopicProbe probe = probe()) {
            String begin = beginBackup(probe, vm, "progress-", "<domainbackup mode='push'/>");
            rig.event(probe, begin, "backup-started");
            JsonNode completed = rig.event(probe, begin, "backup-completed");
            assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();

            // 32 MiB at 1 MiB/s with the contract's 5 s progress interval: several reports, each libvirt's push
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
                assertThat(stats.get("disk_total").asLong()).isEqualTo(size);
                assertThat(stats.get("disk_processed").asLong()).isGreaterThanOrEqualTo(lastProcessed)
                        .isLessThanOrEqualTo(size);
                assertThat(stats.get("disk_remaining").asLong())
                        .isEqualTo(size - stats.get("disk_processed").asLong());
                assertThat(stats.get("time_elapsed").asLong()).isPositive();
                java.time.Instant time = java.time.Instant.parse(event.get("time").asText());
                if (lastTime != null) {
                    assertThat(java.time.Duration.between(lastTime, time)).isGreaterThanOrEqualTo(
                            io.cairn.events.event.BackupProgressEvent.MIN_INTERVAL.minusMillis(100));
                }
                lastProcessed = stats.get("disk_processed").asLong();
                lastTime = time;
            }
            assertThat(completed.at("/statistics/disk_processed").asLong()).isEqualTo(size);
        }
    }

    @Test
    @Order(1)
    void aFullTargetFilesystemFailsTheJobWithQemusErrorRemovesThePartialTargetAndKeepsTheCheckpoint()
            throws Exception {
        GuestlessQemu vm = vm("ns", 32 * MIB);
        QemuDisk vda = vm.disk("vda");
        try (SmallTmpfs small = SmallTmpfs.mount(vm.store("small"), "8m");
                TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            writeRandom(vm, qmp, vda);
            awaitInventory(hosts, vm);
            Path target = small.path().resolve("vda.c1");
            String begin = beginBackup(probe, vm, "enospc-", "<domainbackup mode='push'><disks><disk name='vda' "
                    + "type='file'><target file='" + target + "'/></disk></disks></domainbackup>",
                    "<domaincheckpoint><name>c1</name></domaincheckpoint>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            // checkpoint-service records this checkpoint in the lineage on exactly this event.
            assertThat(started.at("/checkpoint/name").asText()).as(started.toString()).isEqualTo("c1");
            assertThat(started.at("/disks/0/store/path").asText()).isEqualTo(target.toString());
            unthrottle(qmp);

            JsonNode completed = rig.event(probe, begin, "backup-completed");
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
        awaitInventory(hosts, vm);
        awaitInventory(hosts, first);
        awaitInventory(hosts, second);
        try (TopicProbe probe = probe()) {
            String begin = beginBackup(probe, vm, "qemu-kill-", "<domainbackup mode='push'/>",
                    "<domaincheckpoint><name>c1</name></domaincheckpoint>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            Path target = Path.of(started.at("/disks/0/store/path").asText());
            assertThat(Files.isRegularFile(target)).isTrue();
            vm.kill9();

            JsonNode completed = rig.event(probe, begin, "backup-completed");
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("failed");
            assertThat(completed.get("success").asBoolean()).isFalse();
            assertThat(completed.get("errmsg").asText()).isEqualTo("QEMU exited while the backup was running");
            assertExactlyOneCompleted(probe, begin);
            assertJobState(started, "FAILED");
            assertThat(Files.exists(target)).as("partial target %s deleted", target).isFalse();

            // Both slots of the host are free again: two new backups on other domains run at the same time.
            String one = beginBackup(probe, first, "after-kill-1-", "<domainbackup mode='push'/>");
            String two = beginBackup(probe, second, "after-kill-2-", "<domainbackup mode='push'/>");
            rig.event(probe, one, "backup-started");
            rig.event(probe, two, "backup-started");
            assertThat(probe.seen(r -> r.value().contains("\"type\":\"backup-completed\"")
                    && (r.value().contains(one) || r.value().contains(two))))
                    .as("both started before either ended (8 MiB at 1 MiB/s)").isEmpty();
            assertThat(rig.event(probe, one, "backup-completed").get("success").asBoolean()).isTrue();
            assertThat(rig.event(probe, two, "backup-completed").get("success").asBoolean()).isTrue();

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
        awaitInventory(hosts, vm);
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            String begin = beginBackup(probe, vm, "agent-kill-", "<domainbackup mode='push'/>",
                    "<domaincheckpoint><name>c1</name></domaincheckpoint>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            Path target = Path.of(started.at("/disks/0/store/path").asText());
            rig.agent().kill9();
            assertThat(qmp.jobs()).as("QEMU's job runs on without the agent").hasSize(1);
            rig.agent().restart();
            unthrottle(qmp);

            JsonNode completed = rig.event(probe, begin, "backup-completed");
            assertThat(completed.get("jobId").asText()).isEqualTo(started.get("jobId").asText());
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("completed");
            assertThat(completed.get("success").asBoolean()).isTrue();
            assertThat(rig.agent().log()).contains("adopted job");
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
        assertOnlyTheDisksOwnNodesAndBitmaps(qmp, disk, bitmaps, "block nodes: only the disk's own");
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
        RealAgentRig.assertExactlyOneCompleted(probe, begin, Duration.ofSeconds(3));
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

    /** A domain on the agent's host with one disk, vda; with no writes given the whole disk holds data to copy. */
    private static GuestlessQemu vm(String prefix, long size, List<PatternWrite> writes) {
        List<PatternWrite> initial = writes.isEmpty() ? List.of(new PatternWrite(0x5a, 0, size)) : writes;
        return rig.vm(prefix, new DiskSpec("vda", size, initial));
    }
}
