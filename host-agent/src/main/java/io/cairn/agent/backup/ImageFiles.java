package io.cairn.agent.backup;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates and deletes backup target and scratch images. Uses qemu-img on a worker thread: creating the
 * qcow2 header is cheap, and with {@code -u} qemu-img does not open the backing file, which the running
 * QEMU holds locked (libvirt uses blockdev-create instead; the resulting image is the same).
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** A qcow2 of {@code size} bytes; with a backing file when given (recorded in the header only). */
    public static Uni<Void> createQcow2(Path path, long size, Path backingFile) {
        return Uni.createFrom().item(() -> {
            List<String> command = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2"));
            if (backingFile != null) {
                command.addAll(List.of("-u", "-b", backingFile.toString(), "-F", "qcow2"));
            }
            command.addAll(List.of(path.toString(), Long.toString(size)));
            run(command);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public static Uni<Void> delete(Path path) {
        return Uni.createFrom().item(() -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run qemu-img", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running qemu-img", e);
        }
    }
}
