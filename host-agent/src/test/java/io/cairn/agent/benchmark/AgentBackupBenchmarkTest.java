package io.cairn.agent.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.AgentRig;
import io.cairn.agent.backup.Requests;
import io.cairn.agent.backup.TestAgentConfig;
import io.cairn.agent.backup.Tools;
import io.cairn.agent.qmp.QmpCommands;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for the agent's backup path on a 1 GiB random disk: full push through AgentOperations against
 * qemu-img convert of the same disk, an incremental after dirtying 1%, and the per-request overhead of
 * AgentOperations over the bare QMP transaction. Runs only with {@code -Dgroups=benchmark}.
 */
@Tag("benchmark")
class AgentBackupBenchmarkTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 1024 * MIB;
    private static final int RUNS = 3;
    private static final int OPS = 300;

    @Test
    void backupFigures(@TempDir Path tempDir) throws Exception {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("bench").disk("vda", SIZE).start()) {
            fillWithRandomData(qemu);
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            Path disk = qemu.disk("vda").image();

            long[] agentFull = new long[RUNS];
            long[] convert = new long[RUNS];
            long[] rawQmp = new long[RUNS];
            long[] convertDurable = new long[RUNS];
            for (int run = 0; run < RUNS; run++) {
                Path copy = qemu.file("convert-" + run + ".qcow2");
                long started = System.nanoTime();
                Tools.run("qemu-img", "convert", "-U", "-f", "qcow2", "-O", "qcow2", disk.toString(), copy.toString());
                convert[run] = System.nanoTime() - started;
                // blockdev-del closes the backup target with an fdatasync; give convert the same durability.
                Tools.run("sync", copy.toString());
                convertDurable[run] = System.nanoTime() - started;
                Files.delete(copy);

                rawQmp[run] = rawQmpFullBackup(rig, qemu, qemu.file("raw-" + run + ".qcow2"));

                Path target = qemu.store("full-" + run + ".qcow2");
                String jobId = "full-" + run;
                started = System.nanoTime();
                AgentResult result = rig.run(Requests.push(rig, jobId, List.of(Requests.full("vda", target)),
                        run == RUNS - 1 ? Requests.checkpoint("chk1", "vda") : List.of(), false));
                BackupJobReport end = rig.sink.awaitTerminal(jobId, AgentRig.WAIT);
                agentFull[run] = System.nanoTime() - started;
                assertThat(result.success()).isTrue();
                assertThat(end.state()).isEqualTo(BackupJobState.COMPLETED);
                if (run < RUNS - 1) {
                    Files.delete(target);
                }
            }
            System.out.printf("full 1 GiB: AgentOperations push median %.3f s (runs %s) | qemu-img convert median %.3f s"
                    + " (runs %s) | ratio agent/convert %.2f%n", median(agentFull) / 1e9, seconds(agentFull),
                    median(convert) / 1e9, seconds(convert), (double) median(agentFull) / median(convert));
            System.out.printf("full 1 GiB: qemu-img convert + sync of the copy median %.3f s (runs %s) | ratio agent/durable"
                    + " convert %.2f%n", median(convertDurable) / 1e9, seconds(convertDurable),
                    (double) median(agentFull) / median(convertDurable));
            System.out.printf("full 1 GiB: raw QMP (qemu-img create, blockdev-add, blockdev-backup, job-dismiss, blockdev-del)"
                    + " median %.3f s (runs %s)%n", median(rawQmp) / 1e9, seconds(rawQmp));

            Random random = new Random(42);
            long clusters = SIZE / (64 * 1024);
            int dirtyClusters = (int) (clusters / 100);
            random.ints(0, (int) clusters).distinct().limit(dirtyClusters).forEach(cluster ->
                    rig.guestWrite("vda", new PatternWrite(0xc3, cluster * 64L * 1024, 64 * 1024)));
            long dirty = rig.connection().inventory().await().atMost(AgentRig.WAIT).disk("vda").orElseThrow()
                    .bitmap("chk1").orElseThrow().count();
            Path inc = qemu.store("inc.qcow2");
            long started = System.nanoTime();
            assertThat(rig.run(Requests.push(rig, "inc", List.of(Requests.incremental("vda", "chk1", inc)),
                    Requests.checkpoint("chk2", "vda"), false)).success()).isTrue();
            BackupJobReport end = rig.sink.awaitTerminal("inc", AgentRig.WAIT);
            long incremental = System.nanoTime() - started;
            long allocated = allocatedBytes(inc);
            System.out.printf("incremental after dirtying 1%% (%d x 64 KiB): %.3f s; dirty bytes %d, job copied %d,"
                    + " data clusters in target %d, target file %d bytes%n", dirtyClusters, incremental / 1e9, dirty,
                    end.statistics().diskProcessed(), allocated, Files.size(inc));
            rig.rebaseUnsafe(inc, qemu.store("full-" + (RUNS - 1) + ".qcow2"));
            assertThat(Tools.identical(inc, "qcow2", disk, "qcow2")).isTrue();

            overhead(rig, qemu);
        }
    }

    /** The same full backup driven by hand over QMP, to separate the agent's cost from QEMU's. */
    private static long rawQmpFullBackup(AgentRig rig, GuestlessQemu qemu, Path target) throws Exception {
        QmpCommands commands = rig.connection().commands();
        String source = qemu.disk("vda").formatNodeName();
        long started = System.nanoTime();
        Tools.run("qemu-img", "create", "-q", "-f", "qcow2", target.toString(), Long.toString(SIZE));
        commands.client().execute("blockdev-add", io.cairn.agent.qmp.QmpClient.arguments().put("driver", "file")
                .put("node-name", "rawt-file").put("filename", target.toString())).await().atMost(AgentRig.WAIT);
        commands.client().execute("blockdev-add", io.cairn.agent.qmp.QmpClient.arguments().put("driver", "qcow2")
                .put("node-name", "rawt").put("file", "rawt-file")).await().atMost(AgentRig.WAIT);
        commands.transaction(List.of(TransactionAction.blockdevBackup("raw-job", source, "rawt", "full")))
                .await().atMost(AgentRig.WAIT);
        org.awaitility.Awaitility.await().atMost(AgentRig.WAIT).pollInterval(java.time.Duration.ofMillis(5))
                .until(() -> commands.queryJobs().await().atMost(AgentRig.WAIT).stream().allMatch(job -> job.isConcluded()));
        commands.jobDismiss("raw-job").await().atMost(AgentRig.WAIT);
        commands.blockdevDel("rawt").await().atMost(AgentRig.WAIT);
        commands.blockdevDel("rawt-file").await().atMost(AgentRig.WAIT);
        long elapsed = System.nanoTime() - started;
        Files.delete(target);
        return elapsed;
    }

    private static void overhead(AgentRig rig, GuestlessQemu qemu) {
        QmpCommands commands = rig.connection().commands();
        String node = qemu.disk("vda").formatNodeName();
        long[] agent = new long[OPS];
        long[] raw = new long[OPS];
        for (int i = -50; i < OPS; i++) {
            String name = "ovh" + i;
            long started = System.nanoTime();
            AgentResult result = rig.run(new AddBitmapsRequest("a" + i, "host-1", "bench", List.of(new DiskBitmap("vda", name))));
            long agentTime = System.nanoTime() - started;
            assertThat(result.success()).isTrue();
            commands.transaction(List.of(TransactionAction.removeBitmap(node, name))).await().atMost(AgentRig.WAIT);
            started = System.nanoTime();
            commands.transaction(List.of(TransactionAction.addBitmap(node, name, true, false))).await().atMost(AgentRig.WAIT);
            long rawTime = System.nanoTime() - started;
            commands.transaction(List.of(TransactionAction.removeBitmap(node, name))).await().atMost(AgentRig.WAIT);
            if (i >= 0) {
                agent[i] = agentTime;
                raw[i] = rawTime;
            }
        }
        System.out.printf("add bitmaps, %d ops: AgentOperations median %.3f ms p99 %.3f ms | raw QMP transaction median"
                + " %.3f ms p99 %.3f ms%n", OPS, median(agent) / 1e6, percentile(agent, 0.99) / 1e6, median(raw) / 1e6,
                percentile(raw, 0.99) / 1e6);
    }

    /** 1 GiB of random data written into the image while QEMU is stopped, so the disk is incompressible and dense. */
    private static void fillWithRandomData(GuestlessQemu qemu) {
        qemu.stop();
        Path random = qemu.file("random.raw");
        Tools.run("dd", "if=/dev/urandom", "of=" + random, "bs=1M", "count=1024", "status=none");
        Tools.run("qemu-img", "convert", "-n", "-f", "raw", "-O", "qcow2", random.toString(),
                qemu.disk("vda").image().toString());
        Tools.run("rm", random.toString());
        qemu.restart();
    }

    private static long allocatedBytes(Path image) {
        String json = Tools.run("qemu-img", "map", "-U", "--output=json", image.toString());
        long total = 0;
        for (String line : json.split("\n")) {
            if (line.contains("\"data\": true") && line.contains("\"depth\": 0")) {
                String length = line.replaceAll(".*\"length\": (\\d+).*", "$1");
                total += Long.parseLong(length);
            }
        }
        return total;
    }

    private static long median(long[] values) {
        return percentile(values, 0.5);
    }

    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String seconds(long[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format("%.3f", v / 1e9)).toList().toString();
    }
}
