package io.cairn.backup.benchmark;

import static org.awaitility.Awaitility.await;

import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuDisk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: how much a push backup of a 1 GiB random disk costs end to end (command on Kafka to backup-started and
 * to backup-completed consumed, through backup-service, a host-agent process and QEMU) against the same backup done by
 * QEMU alone over raw QMP; full, then incremental after dirtying 1% in scattered 64 KiB clusters. Prints figures,
 * asserts only that every backup succeeded. Runs only with {@code -Dgroups=benchmark}.
 */
@Tag("benchmark")
class PushLatencyBenchmarkTest {
    private static final long MIB = 1L << 20;
    private static final long SIZE = 1024 * MIB;
    private static final long CLUSTER = 64 * 1024;
    private static final int RUNS = 5;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void fullAndIncrementalPushEndToEndBesideQemuAlone() {
        Figures.print("push latency benchmark starts");
        try (ControlPlane plane = new ControlPlane().start()) {
            AgentProcess agent = plane.startAgent();
            String domain = "lat-" + plane.runId();
            String prefix = "bench-" + plane.runId() + "-";
            try (GuestlessQemu qemu = GuestlessQemu.builder(agent.storageDir()).domain(domain).disk("vda", SIZE)
                    .start()) {
                RandomDisk.fill(qemu, "vda");
                agent.adopt(domain, qemu.qmpSocket());
                await().atMost(WAIT).until(() -> plane.sees(domain, null));
                QemuDisk vda = qemu.disk("vda");
                try (BackupEventClock clock = new BackupEventClock(plane.bootstrap(), plane.commandTopic(), prefix);
                        QmpSession qmp = QmpSession.connect(qemu.probeSocket())) {
                    full(clock, qmp, qemu, prefix);
                    PushRun.begin(clock, prefix, domain, "<domainbackup mode='push'/>",
                            "<domaincheckpoint><name>c0</name></domaincheckpoint>");
                    await().atMost(WAIT).until(() -> plane.sees(domain, "c0"));
                    // QEMU alone's incremental needs a bitmap of its own, dirtied by the same writes.
                    qmp.execute("block-dirty-bitmap-add", QmpSession.arguments().put("node", vda.formatNodeName())
                            .put("name", "alone"));
                    incremental(plane, clock, qmp, qemu, prefix);
                }
            }
        }
    }

    private static void full(BackupEventClock clock, QmpSession qmp, GuestlessQemu qemu, String prefix) {
        List<Long> started = new ArrayList<>();
        List<Long> completed = new ArrayList<>();
        List<Long> alone = new ArrayList<>();
        List<Long> aloneDetached = new ArrayList<>();
        String load = Figures.load();
        for (int run = 0; run < RUNS; run++) {
            PushRun e2e = PushRun.begin(clock, prefix, qemu.domain(), "<domainbackup mode='push'/>", null);
            started.add(e2e.toStartedNanos());
            completed.add(e2e.toCompletedNanos());
            QemuAlone.Timing raw = QemuAlone.backup(qmp, qemu.disk("vda"), qemu.file("alone-full-" + run + ".qcow2"),
                    "full", null, qemu.logFile());
            alone.add(raw.toCompletedNanos());
            aloneDetached.add(raw.toDetachedNanos());
        }
        Figures.print("full push 1 GiB random, e2e command -> backup-started consumed: %s (load at start: %s)",
                Figures.summary(started), load);
        Figures.print("full push 1 GiB random, e2e command -> backup-completed consumed: %s",
                Figures.summary(completed));
        Figures.print("full push 1 GiB random, QEMU alone blockdev-add -> BLOCK_JOB_COMPLETED: %s; to blockdev-del "
                + "done: %s", Figures.summary(alone), Figures.summary(aloneDetached));
        Figures.print("full push 1 GiB: e2e/QEMU-alone median ratio %.2f, e2e minus QEMU alone (medians) %.0f ms",
                Figures.medianMillis(completed) / Figures.medianMillis(alone),
                Figures.medianMillis(completed) - Figures.medianMillis(alone));
    }

    private static void incremental(ControlPlane plane, BackupEventClock clock, QmpSession qmp, GuestlessQemu qemu,
            String prefix) {
        QemuDisk vda = qemu.disk("vda");
        int clusters = (int) (SIZE / CLUSTER);
        int dirty = (clusters + 99) / 100;
        List<Long> started = new ArrayList<>();
        List<Long> completed = new ArrayList<>();
        List<Long> alone = new ArrayList<>();
        List<Long> copied = new ArrayList<>();
        List<Long> aloneCopied = new ArrayList<>();
        String load = Figures.load();
        for (int run = 0; run < RUNS; run++) {
            int pattern = 0x40 + run;
            new Random(run).ints(0, clusters).distinct().limit(dirty)
                    .forEach(cluster -> qmp.write(vda, new PatternWrite(pattern, cluster * CLUSTER, CLUSTER)));
            PushRun e2e = PushRun.begin(clock, prefix, qemu.domain(), "<domainbackup mode='push'><incremental>c" + run
                    + "</incremental></domainbackup>", "<domaincheckpoint><name>c" + (run + 1)
                    + "</name></domaincheckpoint>");
            started.add(e2e.toStartedNanos());
            completed.add(e2e.toCompletedNanos());
            copied.add(e2e.processedBytes());
            QemuAlone.Timing raw = QemuAlone.backup(qmp, vda, qemu.file("alone-inc-" + run + ".qcow2"),
                    "incremental", "alone", qemu.logFile());
            alone.add(raw.toCompletedNanos());
            aloneCopied.add(raw.bytes());
            String next = "c" + (run + 1);
            await().atMost(WAIT).until(() -> plane.sees(qemu.domain(), next));
        }
        Figures.print("incremental push, 1%% dirty (%d x 64 KiB = %.2f MiB scattered), e2e command -> backup-started "
                + "consumed: %s (load at start: %s)", dirty, dirty * CLUSTER / (double) MIB, Figures.summary(started),
                load);
        Figures.print("incremental push 1%%, e2e command -> backup-completed consumed: %s; bytes copied per run %s",
                Figures.summary(completed), copied);
        Figures.print("incremental push 1%%, QEMU alone blockdev-add -> BLOCK_JOB_COMPLETED: %s; bytes copied %s",
                Figures.summary(alone), aloneCopied);
        Figures.print("incremental push 1%%: e2e minus QEMU alone (medians) %.0f ms",
                Figures.medianMillis(completed) - Figures.medianMillis(alone));
    }
}
