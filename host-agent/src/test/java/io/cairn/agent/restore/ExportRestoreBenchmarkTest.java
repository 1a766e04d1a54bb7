package io.cairn.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.backup.RecordingSink;
import io.cairn.agent.backup.Tools;
import io.cairn.agent.restore.RestoreChains.Chain;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.EndRestoreRequest;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.model.RestoreMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instant restore on the agent, measured: from restore.start to the EXPORTED report (the artifacts' checksums
 * included) for a 256 MiB full + 2 incrementals, and nbdcopy's throughput reading the restore point through the export
 * (TLS-PSK, unix socket) against reading the same chain locally (nbdcopy through a private qemu-nbd of the explicit
 * chain, no TLS; and qemu-img convert), alternating, medians of 5.
 */
@Tag("benchmark")
class ExportRestoreBenchmarkTest {
    private static final long MIB = RestoreChains.MIB;
    private static final long SIZE = 256 * MIB;
    private static final int RUNS = 5;

    @Test
    void readyTimeAndThroughput(@TempDir Path dir) throws IOException {
        Path domainDir = Files.createDirectories(dir.resolve("storage/bench"));
        StoragePolicy policy = new StoragePolicy(List.of(dir.resolve("storage")));
        Chain chain = RestoreChains.allocated(domainDir, SIZE);
        List<RestoreLink> links = new ArrayList<>();
        for (ChainLink link : chain.links()) {
            ArtifactCheck.Digest digest = ArtifactCheck.digest(link.path(), read -> { });
            links.add(new RestoreLink(link.path().toString(), link.format(), digest.size(), digest.sha256()));
        }
        long chainBytes = links.stream().mapToLong(RestoreLink::size).sum();
        RecordingSink sink = new RecordingSink();
        ChainExports chainExports = new ChainExports(dir.resolve("state"), policy);
        ExportRestores exports = new ExportRestores("h", policy, chainExports, sink, Duration.ofSeconds(30));
        String localChain = RestoreChains.stacked(chain.links().stream().map(ChainLink::path).toArray(Path[]::new));

        long[] ready = new long[RUNS];
        long[] served = new long[RUNS];
        long[] localNbd = new long[RUNS];
        long[] convert = new long[RUNS];
        for (int run = 0; run < RUNS; run++) {
            String id = "bench-" + run;
            long begin = System.nanoTime();
            exports.start(new StartRestoreRequest("r" + run, "h", "bench", id, RestoreMode.EXPORT,
                    List.of(new DiskRestorePlan("vda", links, null, null)))).await().atMost(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.restoreReportsOf(id).stream()
                    .anyMatch(report -> report.state() != RestoreJobState.RUNNING));
            ready[run] = (System.nanoTime() - begin) / 1_000_000;
            RestoreJobReport exported = sink.restoreReportsOf(id).stream()
                    .filter(report -> report.state() == RestoreJobState.EXPORTED).findFirst().orElseThrow();
            String uri = exported.nbd().exports().get(0).uri() + "&tls-psk-file="
                    + RestoreChains.keyFile(dir.resolve(id + ".psk"), exported.nbd().psk());
            if (run == 0) {
                Path check = dir.resolve("check.raw");
                Tools.run("nbdcopy", uri, check.toString());
                assertThat(Tools.identical(check, "raw", chain.expected(), "raw")).isTrue();
                Files.delete(check);
            }
            served[run] = timed("nbdcopy", uri, "null:");
            localNbd[run] = timed("nbdcopy", "--", "[", "qemu-nbd", "-r", localChain, "]", "null:");
            convert[run] = timed("qemu-img", "convert", "-O", "raw", localChain, dir.resolve("c.raw").toString());
            Files.delete(dir.resolve("c.raw"));
            exports.end(new EndRestoreRequest("e" + run, "h", "bench", id)).await().atMost(Duration.ofSeconds(30));
        }
        System.out.printf("export restore of a %d MiB disk (3 links, %d MiB of artifacts): restore.start -> EXPORTED "
                + "median %d ms (%s)%n", SIZE / MIB, chainBytes / MIB, median(ready), Arrays.toString(ready));
        System.out.printf("nbdcopy via the export (TLS-PSK, unix): median %d ms = %.0f MiB/s (%s)%n", median(served),
                rate(median(served)), Arrays.toString(served));
        System.out.printf("nbdcopy via a local qemu-nbd of the chain (no TLS): median %d ms = %.0f MiB/s (%s)%n",
                median(localNbd), rate(median(localNbd)), Arrays.toString(localNbd));
        System.out.printf("qemu-img convert of the local chain to raw: median %d ms = %.0f MiB/s (%s)%n",
                median(convert), rate(median(convert)), Arrays.toString(convert));
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
}
