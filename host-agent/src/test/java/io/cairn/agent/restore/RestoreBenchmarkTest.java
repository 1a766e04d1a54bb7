package io.cairn.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.BackupJobs;
import io.cairn.agent.backup.CreatedStores;
import io.cairn.agent.backup.NbdPskFiles;
import io.cairn.agent.backup.RecordingSink;
import io.cairn.agent.backup.TestAgentConfig;
import io.cairn.agent.backup.Tools;
import io.cairn.agent.storage.NbdAddressPolicy;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.model.RestoreMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's restore benchmark: a disk of random data (1 GiB by default) as a qcow2 full plus five qcow2 incrementals
 * each overlaying about 1% of it (headers that lie, as the agent's may), restored through {@link RestoreJobs} (copy
 * qcow2, copy raw, thin; wall time from the start request to the terminal report) side by side with
 * {@code qemu-img convert} of the same chain, alternating, medians of N runs; the phases of a copy (verify, convert,
 * compare, digest) timed by running the same steps; and the artifacts' checksum throughput against sha256sum. Prints
 * a table and writes it to {@code target/restore-benchmark.txt}. Asserts only that every image equals the chain.
 * Size and runs: {@code -Dcairn.bench.restore.mib=1024 -Dcairn.bench.restore.runs=5}. Runs with
 * {@code -Dgroups=benchmark}.
 */
@Tag("benchmark")
class RestoreBenchmarkTest {

    private static final long MIB = 1024 * 1024;
    private static final int INCREMENTALS = 5;
    private static final Duration WAIT = Duration.ofMinutes(10);

    private long sizeMib;
    private int runs;
    private final Map<String, List<Long>> millis = new LinkedHashMap<>();

    @Test
    void restoreAgainstQemuImgConvert(@TempDir Path dir) throws Exception {
        String table = run(dir, Long.getLong("cairn.bench.restore.mib", 1024),
                Integer.getInteger("cairn.bench.restore.runs", 5));
        System.out.println(table);
        Path out = Path.of("target", "restore-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        status("table written to %s", out.toAbsolutePath());
    }

    /** Builds the chain, runs every measurement {@code runCount} times (each image compared), returns the table. */
    String run(Path dir, long mib, int runCount) throws Exception {
        this.sizeMib = mib;
        this.runs = runCount;
        Path root = dir.resolve("storage");
        Path domainDir = Files.createDirectories(root.resolve("bench"));
        status("building a %d MiB full and %d incrementals in %s", sizeMib, INCREMENTALS, domainDir);
        List<RestoreLink> chain = buildChain(domainDir, sizeMib * MIB);
        long chainBytes = chain.stream().mapToLong(RestoreLink::size).sum();
        String spec = ChainSpec.of(chain);
        Path reference = domainDir.resolve("reference.raw");
        Tools.run("qemu-img", "convert", "-O", "raw", spec, reference.toString());

        TestAgentConfig config = TestAgentConfig.of(dir.resolve("qmp"), root);
        StoragePolicy storage = new StoragePolicy(config.storageRoots());
        StoreFiles storeFiles = new StoreFiles(storage);
        BackupJobs backups = new BackupJobs(config, storage, storeFiles, new NbdAddressPolicy(config),
                new RecordingSink(), new CreatedStores(dir.resolve("state/created-stores")),
                new NbdPskFiles(dir.resolve("state/nbd-psk")));
        TimingSink sink = new TimingSink();
        RestoreJobs restores = new RestoreJobs(config, storage, backups, sink);
        try {
            for (int run = 0; run < runs; run++) {
                status("run %d of %d", run + 1, runs);
                cairn(restores, sink, "copy-qcow2-" + run, RestoreMode.COPY, chain, domainDir, "qcow2", reference);
                baseline(spec, domainDir, "qcow2", run, reference);
                cairn(restores, sink, "copy-raw-" + run, RestoreMode.COPY, chain, domainDir, "raw", reference);
                baseline(spec, domainDir, "raw", run, reference);
                cairn(restores, sink, "thin-" + run, RestoreMode.THIN, chain, domainDir, "qcow2", reference);
                phases(chain, spec, domainDir, run);
                checksums(chain);
            }
        } finally {
            restores.stop();
        }
        return table(chainBytes);
    }

    /** A full of random data, then incrementals of random 256 KiB runs at cluster offsets, lying headers. */
    private static List<RestoreLink> buildChain(Path dir, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(16);
        Path raw = dir.resolve("full.raw");
        writeRandom(raw, size, random);
        Path full = dir.resolve("full.qcow2");
        Tools.run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), full.toString());
        Files.delete(raw);
        List<Path> links = new ArrayList<>(List.of(full));
        long runsPerIncremental = Math.max(1, size / 100 / (256 * 1024));
        for (int i = 1; i <= INCREMENTALS; i++) {
            Path source = dir.resolve("source" + i + ".bin");
            writeRandom(source, 256 * 1024, random);
            Path inc = dir.resolve("inc" + i + ".qcow2");
            RestoreChains.create(inc, size);
            List<String> writes = new ArrayList<>();
            for (long w = 0; w < runsPerIncremental; w++) {
                long offset = random.nextLong(size / (64 * 1024) - 4) * 64 * 1024;
                writes.add("write -q -s " + source + " " + offset + " 256k");
            }
            RestoreChains.io(inc, writes);
            Files.delete(source);
            // As an agent's artifact may: its header names a base that is not there.
            Tools.rebaseUnsafe(inc, dir.resolve("inc" + i + ".qcow2.base-not-in-catalog"));
            links.add(inc);
        }
        List<RestoreLink> chain = new ArrayList<>();
        for (Path link : links) {
            ArtifactCheck.Digest digest = ArtifactCheck.digest(link, read -> { });
            chain.add(new RestoreLink(link.toString(), "qcow2", digest.size(), digest.sha256()));
        }
        return chain;
    }

    private void cairn(RestoreJobs restores, TimingSink sink, String id, RestoreMode mode, List<RestoreLink> chain,
            Path dir, String format, Path reference) throws Exception {
        Path target = dir.resolve(id + "." + format);
        CompletableFuture<Long> end = sink.expect(id);
        long begin = System.nanoTime();
        restores.start(new StartRestoreRequest("req-" + id, "host-1", "bench", id, mode,
                List.of(new DiskRestorePlan("vda", chain, target.toString(), format)))).await().atMost(WAIT);
        long ended = end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        RestoreJobReport last = sink.last(id);
        assertThat(last.state()).as("%s: %s", id, last.error()).isEqualTo(RestoreJobState.COMPLETED);
        String row = "cairn " + (mode == RestoreMode.THIN ? "thin" : "copy " + format);
        record(row, (ended - begin) / 1_000_000);
        assertThat(Tools.identical(target, format, reference, "raw")).as(id).isTrue();
        Files.delete(target);
    }

    private void baseline(String spec, Path dir, String format, int run, Path reference) throws IOException {
        Path target = dir.resolve("baseline-" + run + "." + format);
        record("qemu-img convert -O " + format, timed("qemu-img", "convert", "-O", format, spec, target.toString()));
        assertThat(Tools.identical(target, format, reference, "raw")).isTrue();
        Files.delete(target);
    }

    /** A copy's steps, run as RestoreRun runs them, one after the other. */
    private void phases(List<RestoreLink> chain, String spec, Path dir, int run) throws IOException {
        long begin = System.nanoTime();
        for (RestoreLink link : chain) {
            ArtifactCheck.verify(link, "vda", read -> { });
        }
        record("  phase verify (Java SHA-256 of the chain)", (System.nanoTime() - begin) / 1_000_000);
        Path target = dir.resolve("phases-" + run + ".qcow2");
        long convert = timed("qemu-img", "create", "-q", "-f", "qcow2", target.toString(),
                Long.toString(sizeMib * MIB));
        convert += timed("qemu-img", "convert", "-p", "-n", "-O", "qcow2", spec, target.toString());
        record("  phase create + convert -n (qcow2)", convert);
        record("  phase compare target vs chain", timed("qemu-img", "compare", "-p", "-f", "qcow2",
                target.toString(), spec));
        begin = System.nanoTime();
        ArtifactCheck.digest(target, read -> { });
        record("  phase digest of the target", (System.nanoTime() - begin) / 1_000_000);
        Files.delete(target);
    }

    private void checksums(List<RestoreLink> chain) throws IOException {
        long begin = System.nanoTime();
        for (RestoreLink link : chain) {
            ArtifactCheck.verify(link, "vda", read -> { });
        }
        record("verify: ArtifactCheck (Java)", (System.nanoTime() - begin) / 1_000_000);
        List<String> command = new ArrayList<>(List.of("sha256sum"));
        chain.forEach(link -> command.add(link.path()));
        record("verify: sha256sum", timed(command.toArray(String[]::new)));
    }

    private String table(long chainBytes) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Restore benchmark, %s UTC, %d MiB disk, full + %d incrementals (%d MiB of "
                + "artifacts), %d runs, medians (min-max) in ms; %d cores, load average at the end %s%n",
                LocalDateTime.now(ZoneOffset.UTC).withNano(0), sizeMib, INCREMENTALS, chainBytes / MIB, runs,
                Runtime.getRuntime().availableProcessors(), loadAverage()));
        long convertQcow2 = median("qemu-img convert -O qcow2");
        long convertRaw = median("qemu-img convert -O raw");
        for (Map.Entry<String, List<Long>> row : millis.entrySet()) {
            long median = median(row.getKey());
            String extra = "";
            if (row.getKey().equals("cairn copy qcow2")) {
                extra = String.format("  %.2fx convert -O qcow2", median / (double) convertQcow2);
            } else if (row.getKey().equals("cairn copy raw")) {
                extra = String.format("  %.2fx convert -O raw", median / (double) convertRaw);
            } else if (row.getKey().startsWith("verify:")) {
                extra = String.format("  %.0f MiB/s", chainBytes / (double) MIB / (median / 1000.0));
            }
            out.append(String.format("%-44s %7d  (%d-%d)%s%n", row.getKey(), median,
                    row.getValue().stream().mapToLong(Long::longValue).min().orElseThrow(),
                    row.getValue().stream().mapToLong(Long::longValue).max().orElseThrow(), extra));
        }
        return out.toString();
    }

    private void record(String row, long ms) {
        millis.computeIfAbsent(row, key -> new ArrayList<>()).add(ms);
        status("%-44s %6d ms", row, ms);
    }

    private long median(String row) {
        long[] sorted = millis.get(row).stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long timed(String... command) {
        long begin = System.nanoTime();
        Tools.run(command);
        return (System.nanoTime() - begin) / 1_000_000;
    }

    private static void status(String format, Object... args) {
        System.out.printf("[restore-bench] " + format + "%n", args);
        System.out.flush();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void writeRandom(Path file, long size, SplittableRandom random) throws IOException {
        byte[] chunk = new byte[(int) Math.min(size, MIB)];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(chunk);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Notes when each restore's terminal report arrives, without polling. */
    private static final class TimingSink implements RestoreReportSink {
        private final Map<String, CompletableFuture<Long>> ends = new ConcurrentHashMap<>();
        private final Map<String, RestoreJobReport> lasts = new ConcurrentHashMap<>();

        CompletableFuture<Long> expect(String restoreId) {
            return ends.computeIfAbsent(restoreId, id -> new CompletableFuture<>());
        }

        RestoreJobReport last(String restoreId) {
            return lasts.get(restoreId);
        }

        @Override
        public void publish(RestoreJobReport report) {
            if (report.state().isTerminal()) {
                lasts.put(report.restoreId(), report);
                expect(report.restoreId()).complete(System.nanoTime());
            }
        }
    }
}
