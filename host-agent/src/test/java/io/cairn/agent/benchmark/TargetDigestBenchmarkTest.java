package io.cairn.agent.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.TargetDigest;
import io.cairn.agent.backup.Tools;
import io.cairn.events.agent.WrittenTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the catalog's checksum costs a completed push: the agent's digest of a 512 MiB target against coreutils'
 * sha256sum of the same file, both from a warm page cache, best of three each.
 */
@Tag("benchmark")
class TargetDigestBenchmarkTest {
    private static final Logger LOG = Logger.getLogger(TargetDigestBenchmarkTest.class);
    private static final int MIB = 1 << 20;
    private static final int SIZE_MIB = 512;
    private static final int RUNS = 3;

    @Test
    void theAgentsDigestKeepsUpWithSha256sum(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("target.qcow2");
        writeRandom(target);
        String expected = Tools.run("sha256sum", target.toString()).split(" ")[0];

        long agentBest = Long.MAX_VALUE;
        long coreutilsBest = Long.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            WrittenTarget written = TargetDigest.digest(target);
            agentBest = Math.min(agentBest, System.nanoTime() - start);
            assertThat(written.sha256()).isEqualTo(expected);
            assertThat(written.size()).isEqualTo((long) SIZE_MIB * MIB);

            start = System.nanoTime();
            Tools.run("sha256sum", target.toString());
            coreutilsBest = Math.min(coreutilsBest, System.nanoTime() - start);
        }
        double agentRate = SIZE_MIB / (agentBest / 1e9);
        double coreutilsRate = SIZE_MIB / (coreutilsBest / 1e9);
        LOG.infof("SHA-256 of %d MiB: agent %.0f MiB/s (%d ms), sha256sum %.0f MiB/s (%d ms), ratio %.2f", SIZE_MIB,
                agentRate, agentBest / 1_000_000, coreutilsRate, coreutilsBest / 1_000_000, agentRate / coreutilsRate);
        assertThat(agentRate).as("the agent's digest is not far behind sha256sum").isGreaterThan(coreutilsRate * 0.5);
    }

    private static void writeRandom(Path target) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int i = 0; i < SIZE_MIB; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }
}
