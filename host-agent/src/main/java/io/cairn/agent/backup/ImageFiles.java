package io.cairn.agent.backup;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Formats backup target and scratch images. Uses qemu-img on a worker thread: creating the
 * qcow2 header is cheap, and with {@code -u} qemu-img does not open the backing file, which the running
 * QEMU holds locked (libvirt uses blockdev-create instead; the resulting image is the same). A qemu-img that
 * hangs is killed after its timeout, so the backup fails instead of holding a worker thread forever.
 */
public final class ImageFiles {

    private static final ImageFiles QEMU_IMG = new ImageFiles("qemu-img", Duration.ofSeconds(60));
    /** qemu-img's own messages are a line or two; more than this is noise in an error report. */
    private static final int OUTPUT_LIMIT = 8 * 1024;
    /** How long an error message waits for the rest of the output once the process has ended. */
    private static final long OUTPUT_WAIT_MS = 1000;

    /** strerror(ENOSPC), as qemu-img prints it. */
    private static final String NO_SPACE = "No space left on device";

    private final String executable;
    private final Duration timeout;

    /** Another qemu-img (or a stand-in in tests) and how long one run of it may take. */
    ImageFiles(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** A qcow2 of {@code size} bytes; with a backing file when given (recorded in the header only). */
    public static Uni<Void> createQcow2(Path path, long size, Path backingFile) {
        return QEMU_IMG.create(path, size, backingFile);
    }

    /** Blocking: the same, on the calling thread (a staging file that {@code StoreFiles} copies into the store). */
    public static void createQcow2Now(Path path, long size, Path backingFile) {
        QEMU_IMG.createNow(path, size, backingFile);
    }

    /**
     * Rewrites only the header's backing reference ({@code rebase -u}: no data is read or written, the backing file
     * is not opened, so it may not exist), on a worker thread.
     */
    public static Uni<Void> rebaseHeader(Path image, Path backingFile) {
        return QEMU_IMG.rebase(image, backingFile);
    }

    Uni<Void> rebase(Path image, Path backingFile) {
        return Uni.createFrom().item(() -> {
            run(List.of(executable, "rebase", "-q", "-u", "-f", "qcow2", "-F", "qcow2", "-b", backingFile.toString(),
                    image.toString()));
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    Uni<Void> create(Path path, long size, Path backingFile) {
        return Uni.createFrom().item(() -> {
            createNow(path, size, backingFile);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    void createNow(Path path, long size, Path backingFile) {
        List<String> command = new ArrayList<>(List.of(executable, "create", "-q", "-f", "qcow2"));
        if (backingFile != null) {
            command.addAll(List.of("-u", "-b", backingFile.toString(), "-F", "qcow2"));
        }
        command.addAll(List.of(path.toString(), Long.toString(size)));
        run(command);
    }

    private void run(List<String> command) {
        String commandLine = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + commandLine, e);
        }
        ProcessOutput output = ProcessOutput.drain(process.getInputStream(), OUTPUT_LIMIT, "qemu-img-output");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IllegalStateException("%s did not finish within %d ms and was killed: %s".formatted(
                        commandLine, timeout.toMillis(), output.text(OUTPUT_WAIT_MS, TimeUnit.MILLISECONDS)));
            }
            if (process.exitValue() != 0) {
                String said = output.text(OUTPUT_WAIT_MS, TimeUnit.MILLISECONDS);
                String failure = "%s exited with %d: %s".formatted(commandLine, process.exitValue(), said);
                if (said.contains(NO_SPACE)) {
                    // Not a bug but the host's storage: libvirt reports a failed system call as VIR_ERR_SYSTEM_ERROR.
                    throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR, failure);
                }
                throw new IllegalStateException(failure);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + commandLine, e);
        }
    }

    /** Children first: once the parent is gone they can no longer be found, and would keep the pipe open. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
