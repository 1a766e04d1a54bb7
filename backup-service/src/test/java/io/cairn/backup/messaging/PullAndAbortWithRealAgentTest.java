package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.WAIT;
import static io.cairn.backup.messaging.RealAgentRig.assertOnlyTheDisksOwnNodesAndBitmaps;
import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.command;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.cairn.backup.messaging.RealAgentRig.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.core.agent.HostDirectory;
import io.cairn.backup.messaging.NbdReader.Extent;
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
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pull backups read with a real NBD client, and aborts, through the real parts only (Kafka, backup-service, a
 * host-agent process, QEMU): what libvirt promises for both is checked from outside, on the events topic, over
 * NBD and on a second QMP monitor of the QEMU.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class PullAndAbortWithRealAgentTest {
    private static final Logger LOG = Logger.getLogger(PullAndAbortWithRealAgentTest.class);
    private static final long MIB = 1L << 20;
    private static final long CLUSTER = 64 * 1024;
    private static final long DISK_SIZE = 32 * MIB;
    private static final List<PatternWrite> INITIAL = List.of(new PatternWrite(0xab, 0, MIB),
            new PatternWrite(0x5c, 20 * MIB, 3 * MIB));
    /** Slow enough that a push backup of a few MiB is still running when its abort arrives; pull ignores it. */
    private static final long JOB_SPEED = MIB;

    private static RealAgentRig rig;
    private static GuestlessQemu fullPullVm;
    private static GuestlessQemu incrementalPullVm;
    private static GuestlessQemu busyVm;
    private static GuestlessQemu pushVm;
    /** The domain the running test backs up. */
    private GuestlessQemu current;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemus() {
        rig = RealAgentRig.start("-Dcairn.agent.job-speed=" + JOB_SPEED);
        fullPullVm = vm("pf");
        incrementalPullVm = vm("pi");
        busyVm = vm("pb");
        pushVm = vm("pp");
    }

    private static GuestlessQemu vm(String prefix) {
        return rig.vm(prefix, new DiskSpec("vda", DISK_SIZE, INITIAL));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    /**
     * Jobs other test classes left "running" on hosts that never existed would hold the fleet's slots, and this
     * class's jobs would wait in the queue. This class's own jobs are ended by their aborts, never here.
     */
    @BeforeEach
    void endJobsLeftByOtherTests() throws Exception {
        rig.endJobsOnOtherHosts(database, PullAndAbortWithRealAgentTest.class);
    }

    /** A failed test must not leave its pull running: it would hold one of the host's two slots for the others. */
    @AfterEach
    void abortWhatIsLeft() {
        if (current != null) {
            try (TopicProbe probe = probe()) {
                abort(probe, current);
            }
            current = null;
        }
    }

    @Test
    void aFullPullExportsTheDiskAsAtItsStartAndAnAbortEndsItAsSuccessLeavingOnlyTheCheckpoint() throws Exception {
        GuestlessQemu vm = use(fullPullVm);
        QemuDisk vda = vm.disk("vda");
        awaitInventory(hosts, vm);
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            String begin = beginBackup(probe, vm, "pull-full-", pullXml(socket(vm, "pf"), null),
                    "<domaincheckpoint><name>c1</name></domaincheckpoint>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            assertThat(started.get("mode").asText()).isEqualToIgnoringCase("pull");
            JsonNode export = started.at("/nbd/exports/0");
            assertThat(export.path("exportName").asText()).as(started.toString()).isEqualTo("vda");
            assertThat(export.has("bitmap")).as("a full backup exports no bitmap").isFalse();
            Path scratch = Path.of(started.at("/disks/0/store/path").asText());
            assertThat(scratch).as("libvirt's default scratch name").isEqualTo(Path.of(vda.image() + ".c1"));
            assertThat(Files.isRegularFile(scratch)).isTrue();
            assertThat(qmp.blockExports()).hasSize(1);

            // Guest writes after the start, over data and over zeros: the export must not show them.
            List<PatternWrite> later = List.of(new PatternWrite(0xcd, MIB / 2, CLUSTER),
                    new PatternWrite(0xee, 8 * MIB, MIB));
            later.forEach(write -> qmp.write(vda, write));
            Path copy = vm.file("pulled.raw");
            NbdReader.copy(export.path("uri").asText(), copy);
            assertThat(NbdReader.identical(copy, image(vm, "at-start.qcow2", INITIAL)))
                    .as("the pulled image equals the disk at backup start").isTrue();
            assertThat(NbdReader.identical(copy, image(vm, "now.qcow2", concat(INITIAL, later))))
                    .as("sanity: the writes change the content").isFalse();
            assertThat(dirtyBytes(qmp, vda, "c1")).as("sanity: the writes reached the disk after the start")
                    .isEqualTo(CLUSTER + MIB);

            String abort = "abort-" + UUID.randomUUID();
            send(probe, vm, command(vm, abort, "backup.abort"));
            JsonNode completed = rig.event(probe, begin, "backup-completed");
            assertThat(completed.get("commandId").asText()).as("the abort's outcome").isEqualTo(abort);
            assertThat(completed.get("beginCommandId").asText()).isEqualTo(begin);
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("completed");
            assertThat(completed.get("success").asBoolean()).as("libvirt: an aborted pull backup succeeded").isTrue();
            assertThat(completed.has("errmsg")).isFalse();

            assertHostClean(qmp, vda, List.of("c1"));
            assertThat(Files.exists(scratch)).as("scratch %s deleted", scratch).isFalse();
            assertThat(NbdReader.served(export.path("uri").asText())).as("NBD server stopped").isFalse();
        }
    }

    @Test
    void anIncrementalPullExportsExactlyTheClustersWrittenSinceItsCheckpoint() throws Exception {
        GuestlessQemu vm = use(incrementalPullVm);
        awaitInventory(hosts, vm);
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            // Checkpoint c1 comes with a full pull that ends at once.
            String full = beginBackup(probe, vm, "pull-c1-", pullXml(socket(vm, "pi"), null),
                    "<domaincheckpoint><name>c1</name></domaincheckpoint>");
            rig.event(probe, full, "backup-started");
            abort(probe, vm);
            assertThat(rig.event(probe, full, "backup-completed").get("success").asBoolean()).isTrue();
            awaitBitmapInInventory(vm, "c1");

            // Aligned, unaligned inside one cluster, and spanning three clusters from mid-cluster.
            QemuDisk vda = vm.disk("vda");
            List<PatternWrite> sinceC1 = List.of(new PatternWrite(0x31, 4 * MIB, CLUSTER),
                    new PatternWrite(0x32, 10 * MIB + 4096, 4096),
                    new PatternWrite(0x33, 20 * MIB + CLUSTER / 2, 2 * CLUSTER));
            sinceC1.forEach(write -> qmp.write(vda, write));

            String begin = beginBackup(probe, vm, "pull-incr-", pullXml(socket(vm, "pi"), "c1"));
            JsonNode started = rig.event(probe, begin, "backup-started");
            JsonNode export = started.at("/nbd/exports/0");
            assertThat(export.path("bitmap").asText()).as(started.toString()).isEqualTo("backup-vda");
            assertThat(export.path("bitmapContext").asText()).isEqualTo("qemu:dirty-bitmap:backup-vda");
            Path scratch = Path.of(started.at("/disks/0/store/path").asText());
            // A write after the start is in neither the frozen bitmap nor the exported data.
            qmp.write(vda, new PatternWrite(0x34, 16 * MIB, CLUSTER));

            String uri = export.path("uri").asText();
            assertThat(NbdReader.dirtyExtents(uri, export.path("bitmapContext").asText()))
                    .as("dirty extents at the bitmap's 64 KiB granularity")
                    .containsExactly(new Extent(4 * MIB, CLUSTER), new Extent(10 * MIB, CLUSTER),
                            new Extent(20 * MIB, 3 * CLUSTER));
            Path copy = vm.file("incremental.raw");
            NbdReader.copy(uri, copy);
            assertThat(NbdReader.identical(copy, image(vm, "at-incremental.qcow2", concat(INITIAL, sinceC1))))
                    .as("the export shows the disk as at the incremental's start").isTrue();
            assertThat(qmp.bitmapNames(vda.formatNodeName())).as("the checkpoint bitmap itself is not exported")
                    .containsExactly("c1");

            abort(probe, vm);
            JsonNode completed = rig.event(probe, begin, "backup-completed");
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("completed");
            assertThat(completed.get("success").asBoolean()).isTrue();
            assertHostClean(qmp, vda, List.of("c1"));
            assertThat(Files.exists(scratch)).as("scratch %s deleted", scratch).isFalse();
        }
    }

    @Test
    void aSecondBeginWhileAPullRunsIsRefusedAndTheRunningJobGoesOn() throws Exception {
        GuestlessQemu vm = use(busyVm);
        awaitInventory(hosts, vm);
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            String first = beginBackup(probe, vm, "pull-busy-", pullXml(socket(vm, "pb"), null));
            JsonNode started = rig.event(probe, first, "backup-started");
            String uri = started.at("/nbd/exports/0/uri").asText();

            String second = beginBackup(probe, vm, "push-busy-", "<domainbackup mode='push'/>");
            JsonNode rejected = rig.event(probe, second, "command-rejected");
            assertThat(rejected.at("/error/code").asText()).as(rejected.toString())
                    .isEqualTo("VIR_ERR_OPERATION_INVALID");
            assertThat(rejected.at("/error/message").asText()).isEqualTo("another backup job is already running");

            // The first job is untouched: still exported, still not ended, and it ends normally on abort.
            assertThat(NbdReader.served(uri)).isTrue();
            assertThat(qmp.blockExports()).hasSize(1);
            assertThat(probe.seen(r -> RealAgentRig.ofCommand(r.value(), first)
                    && r.value().contains("\"type\":\"backup-completed\""))).isEmpty();
            abort(probe, vm);
            JsonNode completed = rig.event(probe, first, "backup-completed");
            assertThat(completed.get("jobId").asText()).isEqualTo(started.get("jobId").asText());
            assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
            assertThat(probe.seen(r -> r.value().contains("\"commandId\":\"" + second + "\"")
                    && r.value().contains("\"type\":\"backup-started\""))).as("the refused begin never started")
                    .isEmpty();
        }
    }

    @Test
    void anAbortedPushIsCancelledAndLeavesNeitherTargetNorTemporaryBitmapButKeepsItsCheckpoint() throws Exception {
        GuestlessQemu vm = use(pushVm);
        QemuDisk vda = vm.disk("vda");
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            // A checkpoint as the agent makes one (a persistent bitmap), then 8 MiB of changes: at the agent's
            // job speed the incremental push needs seconds, so the abort surely finds it running.
            qmp.execute("block-dirty-bitmap-add", QmpProbe.arguments().put("node", vda.formatNodeName())
                    .put("name", "c1").put("persistent", true));
            qmp.write(vda, new PatternWrite(0x77, 0, 8 * MIB));
            awaitBitmapInInventory(vm, "c1");

            String begin = beginBackup(probe, vm, "push-abort-", "<domainbackup><incremental>c1</incremental>"
                    + "</domainbackup>", "<domaincheckpoint><name>c2</name></domaincheckpoint>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            Path target = Path.of(started.at("/disks/0/store/path").asText());
            assertThat(target).isEqualTo(Path.of(vda.image() + ".c2"));
            assertThat(Files.isRegularFile(target)).isTrue();
            assertThat(qmp.bitmapNames(vda.formatNodeName())).as("while it runs")
                    .containsExactlyInAnyOrder("c1", "c2", "backup-vda");

            long abortSent = System.nanoTime();
            abort(probe, vm);
            JsonNode completed = rig.event(probe, begin, "backup-completed");
            LOG.infof("incremental push abort -> backup-completed %d ms", (System.nanoTime() - abortSent) / 1_000_000);
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("cancelled");
            assertThat(completed.get("success").asBoolean()).isFalse();
            JsonNode processed = completed.at("/statistics/disk_processed");
            assertThat(processed.isNumber()).as(completed.toString()).isTrue();
            assertThat(processed.asLong()).as("aborted before all %s bytes were copied", 8 * MIB).isLessThan(8 * MIB);

            // libvirt deletes a target it created when the job did not complete, and keeps the checkpoint
            // created with it (the lineage recorded it on backup-started).
            assertThat(Files.exists(target)).as("target %s deleted", target).isFalse();
            assertHostClean(qmp, vda, List.of("c1", "c2"));
        }
    }

    /** Nothing of the backup is left in QEMU: no export, job, store node, filter, or temporary bitmap. */
    private static void assertHostClean(QmpProbe qmp, QemuDisk disk, List<String> bitmaps) {
        assertThat(qmp.blockExports()).as("exports").isEmpty();
        assertThat(qmp.jobs()).as("jobs").isEmpty();
        assertOnlyTheDisksOwnNodesAndBitmaps(qmp, disk, bitmaps,
                "block nodes: only the disk's own, no scratch/target/filter");
    }

    private GuestlessQemu use(GuestlessQemu vm) {
        current = vm;
        return vm;
    }

    /** QEMU's dirty count of a bitmap on the disk, in bytes at the bitmap's granularity. */
    private static long dirtyBytes(QmpProbe qmp, QemuDisk disk, String bitmap) {
        return qmp.blockNodes().stream().filter(node -> disk.formatNodeName().equals(node.path("node-name").asText()))
                .flatMap(node -> StreamSupport.stream(node.path("dirty-bitmaps").spliterator(), false))
                .filter(entry -> bitmap.equals(entry.path("name").asText())).mapToLong(entry -> entry.get("count")
                        .asLong()).findFirst().orElseThrow(() -> new AssertionError("no bitmap " + bitmap));
    }

    private void awaitBitmapInInventory(GuestlessQemu vm, String bitmap) {
        await().atMost(WAIT).until(() -> hosts.find(vm.domain()).map(placement -> placement.domain().disks()
                .stream().anyMatch(disk -> disk.bitmaps().stream().anyMatch(b -> b.name().equals(bitmap))))
                .orElse(false));
    }

    private static void abort(TopicProbe probe, GuestlessQemu vm) {
        send(probe, vm, command(vm, "abort-" + UUID.randomUUID(), "backup.abort"));
    }

    /** A pull backup on a unix socket in the domain's storage directory (the only place the agent lets QEMU bind). */
    private static String pullXml(Path socket, String incremental) {
        return "<domainbackup mode='pull'>" + (incremental == null ? "" : "<incremental>" + incremental
                + "</incremental>") + "<server transport='unix' socket='" + socket + "'/></domainbackup>";
    }

    private static Path socket(GuestlessQemu vm, String name) {
        return vm.store(name + ".sock");
    }

    /** The disk's expected content, built offline from the same pattern writes. */
    private static Path image(GuestlessQemu vm, String name, List<PatternWrite> writes) {
        Path image = vm.file(name);
        QemuImg.createQcow2(image, DISK_SIZE, vm.logFile());
        QemuImg.writePatterns(image, writes, vm.logFile());
        return image;
    }

    private static List<PatternWrite> concat(List<PatternWrite> first, List<PatternWrite> second) {
        List<PatternWrite> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
