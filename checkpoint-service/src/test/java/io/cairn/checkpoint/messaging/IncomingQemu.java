package io.cairn.checkpoint.messaging;

import static org.awaitility.Awaitility.await;

import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QemuDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The destination QEMU of a live migration in progress ({@code -incoming defer}) on a running QEMU's images. */
final class IncomingQemu implements AutoCloseable {
    private final Process process;
    private final Path workDir;

    private IncomingQemu(Process process, Path workDir) {
        this.process = process;
        this.workDir = workDir;
    }

    /** Starts it beside {@code source}, with the same devices and node names, as libvirt would on the destination. */
    static IncomingQemu start(GuestlessQemu source) throws IOException {
        // Short path: a unix socket path must stay under 108 bytes.
        Path workDir = Files.createTempDirectory(source.workDir().getParent(), "in-");
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "q35", "-nodefaults",
                "-display", "none", "-accel", "tcg", "-S", "-m", "64", "-incoming", "defer",
                "-qmp", "unix:" + workDir.resolve("qmp.sock") + ",server=on,wait=off"));
        for (QemuDisk disk : source.disks()) {
            command.addAll(List.of("-blockdev", "{\"driver\":\"file\",\"filename\":\"" + disk.image()
                    + "\",\"node-name\":\"" + disk.storageNodeName() + "\",\"auto-read-only\":true}",
                    "-blockdev", "{\"driver\":\"qcow2\",\"file\":\"" + disk.storageNodeName() + "\",\"node-name\":\""
                    + disk.formatNodeName() + "\",\"read-only\":false}",
                    "-device", "virtio-blk-pci,drive=" + disk.formatNodeName() + ",id=" + disk.deviceId()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("qemu.log").toFile()).start();
        IncomingQemu qemu = new IncomingQemu(process, workDir);
        try {
            await().atMost(Duration.ofSeconds(15)).failFast(() -> !process.isAlive())
                    .until(() -> Files.exists(qemu.qmpSocket()));
        } catch (RuntimeException e) {
            qemu.close();
            throw new IllegalStateException("incoming QEMU did not start: " + qemu.log(), e);
        }
        return qemu;
    }

    Path qmpSocket() {
        return workDir.resolve("qmp.sock");
    }

    String log() {
        try {
            return Files.readString(workDir.resolve("qemu.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
