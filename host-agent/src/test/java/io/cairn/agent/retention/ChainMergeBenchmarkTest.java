package io.cairn.agent.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one merge step costs on a 256 MiB disk whose incrementals each changed 1% or 10% of it (scattered 64 KiB
 * clusters): inc1 merged into inc2, and the full expired under inc1, with and without the compare before the
 * rename; best of three from a warm page cache. Run with {@code -Dgroups=benchmark}.
 */
@Tag("benchmark")
class ChainMergeBenchmarkTest {
    private static final Logger LOG = Logger.getLogger(ChainMergeBenchmarkTest.class);
    private static final long MIB = 1 << 20;
    private static final long SIZE = 256 * MIB;
    private static final int CLUSTER = 64 * 1024;
    private static final int RUNS = 3;

    @TempDir
    Path dir;
    /** The successor's size after the last merge measured. */
    private long mergedSize;

    @Test
    void oneMergeStepOnA256MiBDisk() throws Exception {
        Path root = dir.resolve("root");
        Path store = Files.createDirectories(root.resolve("vm1"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        io.cairn.agent.storage.StoragePolicy storage = new io.cairn.agent.storage.StoragePolicy(List.of(root));
        for (int percent : new int[] {1, 10}) {
            Path full = Images.create(store.resolve("full.qcow2"), SIZE, List.of("write -P 0x11 0 256M"));
            Path inc1 = Images.create(store.resolve("inc1.qcow2"), SIZE, dirty(percent, 0x22, new Random(1)));
            Path inc2 = Images.create(store.resolve("inc2.qcow2"), SIZE, dirty(percent, 0x33, new Random(2)));
            Images.backing(inc1, full.toString());
            Images.backing(inc2, inc1.toString());
            Path atInc2 = Images.raw(inc2.toString(), dir.resolve("at-inc2.raw"));
            Path atInc1 = Images.raw(inc1.toString(), dir.resolve("at-inc1.raw"));
            for (boolean verify : new boolean[] {true, false}) {
                ChainMerge merge = new ChainMerge(storage, "qemu-img", Duration.ofMinutes(10), verify);
                long middle = best(inc2, () -> merge.merge("vm1", "vda", inc2, inc1, List.of(full)), atInc2);
                long middleSize = mergedSize;
                long first = best(inc1, () -> merge.merge("vm1", "vda", inc1, full, List.of()), atInc1);
                LOG.infof("256 MiB disk, %d%% dirty per incremental (inc1 %d KiB, inc2 %d KiB), compare %s: "
                        + "inc1 into inc2 %d ms (inc2 then %d KiB), full into inc1 (standalone) %d ms (inc1 then "
                        + "%d KiB)", percent, Files.size(inc1) / 1024, Files.size(inc2) / 1024, verify ? "on" : "off",
                        middle, middleSize / 1024, first, mergedSize / 1024);
            }
            for (Path file : List.of(full, inc1, inc2, atInc1, atInc2)) {
                Files.delete(file);
            }
        }
    }

    /** Best wall-clock time of the merge, each run on a fresh copy of the successor, checking its result. */
    private long best(Path successor, Runnable merge, Path expected) throws Exception {
        Path original = dir.resolve("original.qcow2");
        Files.copy(successor, original, StandardCopyOption.REPLACE_EXISTING);
        long best = Long.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            Files.copy(original, successor, StandardCopyOption.REPLACE_EXISTING);
            long start = System.nanoTime();
            merge.run();
            best = Math.min(best, System.nanoTime() - start);
            assertThat(Tools.identical(successor, "qcow2", expected, "raw")).isTrue();
            mergedSize = Files.size(successor);
        }
        Files.move(original, successor, StandardCopyOption.REPLACE_EXISTING);
        return best / 1_000_000;
    }

    private static List<String> dirty(int percent, int pattern, Random random) {
        int clusters = (int) (SIZE / CLUSTER);
        List<String> writes = new ArrayList<>();
        random.ints(0, clusters).distinct().limit(clusters * percent / 100).forEach(cluster -> writes.add(
                "write -P 0x%x %d %d".formatted(pattern, (long) cluster * CLUSTER, CLUSTER)));
        return writes;
    }
}
