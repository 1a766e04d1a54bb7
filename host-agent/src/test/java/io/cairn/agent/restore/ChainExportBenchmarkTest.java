package io.cairn.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.Tools;
import io.cairn.agent.restore.RestoreChains.Chain;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StorePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What instant restore costs: the time from {@link ChainExports#start} to a socket that answers (the daemon up, every
 * export there), and how fast nbdcopy reads a 256 MiB three-link chain through the export (TLS-PSK, unix socket)
 * against nbdcopy of the same content as a local raw file, and of that raw file served the same way (which separates
 * NBD+TLS from the qcow2 chain). Warm page cache; reads go to {@code null:}. Runs only with {@code -Dgroups=benchmark}.
 */
@Tag("benchmark")
class ChainExportBenchmarkTest {

    private static final long MIB = RestoreChains.MIB;
    private static final long SIZE = 256 * MIB;
    private static final int START_RUNS = 11;
    private static final int COPY_RUNS = 5;

    @Test
    void startAndThroughput(@TempDir Path dir) {
        Path domainDir = dir.resolve("storage/bench");
        Chain chain = RestoreChains.allocated(createDirectories(domainDir), SIZE);
        ChainExports exports = new ChainExports(dir.resolve("state"), new StoragePolicy(List.of(dir.resolve("storage"))));
        StorePath socket = RestoreChains.socket(dir.resolve("storage"), "bench", "restore.sock");

        long[] startMillis = new long[START_RUNS];
        long[] closeMillis = new long[START_RUNS];
        for (int run = 0; run < START_RUNS; run++) {
            long begin = System.nanoTime();
            ChainExport export = exports.start("s" + run, "bench", socket, "vda", chain.links());
            long ready = System.nanoTime();
            export.close();
            startMillis[run] = (ready - begin) / 1_000_000;
            closeMillis[run] = (System.nanoTime() - ready) / 1_000_000;
        }

        Path local = chain.expected();
        long[] chainCopy = new long[COPY_RUNS];
        long[] rawServed = new long[COPY_RUNS];
        long[] rawLocal = new long[COPY_RUNS];
        try (ChainExport chained = exports.start("chain", "bench", socket, "vda", chain.links());
                ChainExport raw = exports.start("raw", "bench",
                        RestoreChains.socket(dir.resolve("storage"), "bench", "raw.sock"), "vda",
                        List.of(new ChainLink(local, ChainLink.RAW)))) {
            String chainUri = chained.endpoint().exports().get(0).uri() + "&tls-psk-file="
                    + RestoreChains.keyFile(dir.resolve("chain.psk"), chained.endpoint().psk());
            String rawUri = raw.endpoint().exports().get(0).uri() + "&tls-psk-file="
                    + RestoreChains.keyFile(dir.resolve("raw.psk"), raw.endpoint().psk());
            Path check = dir.resolve("check.raw");
            Tools.run("nbdcopy", chainUri, check.toString());
            assertThat(Tools.identical(check, "raw", local, "raw")).isTrue();
            quietly(check);
            for (int run = 0; run < COPY_RUNS; run++) {
                chainCopy[run] = timed("nbdcopy", chainUri, "null:");
                rawServed[run] = timed("nbdcopy", rawUri, "null:");
                rawLocal[run] = timed("nbdcopy", local.toString(), "null:");
            }
        }
        System.out.printf("restore export start->socket answers: median %d ms (min %d, max %d, %d runs); close median %d ms%n",
                median(startMillis), Arrays.stream(startMillis).min().orElseThrow(),
                Arrays.stream(startMillis).max().orElseThrow(), START_RUNS, median(closeMillis));
        System.out.printf("nbdcopy 256 MiB, 3-link qcow2 chain via export (TLS-PSK, unix): median %d ms = %.0f MiB/s%n",
                median(chainCopy), rate(median(chainCopy)));
        System.out.printf("nbdcopy 256 MiB, raw file via the same export (TLS-PSK, unix):   median %d ms = %.0f MiB/s%n",
                median(rawServed), rate(median(rawServed)));
        System.out.printf("nbdcopy 256 MiB, local raw file (qemu-img convert of the chain): median %d ms = %.0f MiB/s%n",
                median(rawLocal), rate(median(rawLocal)));
    }

    private static long timed(String... command) {
        long begin = System.nanoTime();
        Tools.run(command);
        return (System.nanoTime() - begin) / 1_000_000;
    }

    private static double rate(long millis) {
        return SIZE / (double) MIB / (millis / 1000.0);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void quietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            // Only disk space in a temporary directory.
        }
    }
}
