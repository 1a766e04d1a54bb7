package io.cairn.agent.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.backup.ImageFiles;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What confinement costs a start: a target prepared with the checks, staging and inode record vs qemu-img in place. */
@Tag("benchmark")
class StoreCreationBenchmarkTest {

    private static final int RUNS = 30;

    @Test
    void preparingATarget(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path backing = dir.resolve("disk.qcow2");
        ImageFiles.createQcow2Now(backing, 64L << 20, null);
        StoragePolicy policy = new StoragePolicy(List.of(root));
        StoreFiles files = new StoreFiles(policy);
        for (long size : new long[] {64L << 20, 1L << 40}) {
            long[] plain = new long[RUNS];
            long[] confined = new long[RUNS];
            for (int run = 0; run < RUNS; run++) {
                Path direct = Files.createDirectories(root.resolve("plain")).resolve(size + "-" + run + ".qcow2");
                long started = System.nanoTime();
                ImageFiles.createQcow2Now(direct, size, backing);
                plain[run] = System.nanoTime() - started;

                String path = root.resolve("vm1").resolve(size + "-" + run + ".qcow2").toString();
                started = System.nanoTime();
                StoreFiles.Created created = files.create(policy.checkNewStore(path, "vm1", "vda"),
                        staging -> ImageFiles.createQcow2Now(staging, size, backing));
                confined[run] = System.nanoTime() - started;
                assertThat(Files.mismatch(direct, created.path())).as("the same image either way").isEqualTo(-1);
            }
            System.out.printf("target of %d bytes (backing file in header): qemu-img in place median %.2f ms | checks +"
                    + " exclusive no-follow creation + staging copy + inode median %.2f ms (image %d bytes)%n", size,
                    median(plain) / 1e6, median(confined) / 1e6, Files.size(root.resolve("plain/" + size + "-0.qcow2")));
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
