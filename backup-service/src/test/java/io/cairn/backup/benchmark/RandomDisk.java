package io.cairn.backup.benchmark;

import io.cairn.testing.qemu.GuestlessQemu;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Fills a guest-less QEMU's disk with random data while it is stopped, so no backup can skip a sparse region. */
final class RandomDisk {
    private RandomDisk() {
    }

    static void fill(GuestlessQemu qemu, String device) {
        qemu.stop();
        Path random = qemu.file("random.raw");
        long mib = qemu.disk(device).sizeBytes() >> 20;
        run(qemu, List.of("dd", "if=/dev/urandom", "of=" + random, "bs=1M", "count=" + mib, "status=none"));
        run(qemu, List.of("qemu-img", "convert", "-n", "-f", "raw", "-O", "qcow2", random.toString(),
                qemu.disk(device).image().toString()));
        try {
            Files.delete(random);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        qemu.restart();
    }

    private static void run(GuestlessQemu qemu, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(qemu.logFile().toString()))).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command + " failed; log:\n" + qemu.log());
            }
        } catch (IOException e) {
            throw new IllegalStateException(command.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
