package io.cairn.backup.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pull backup's client as a user would run it: libnbd's {@code nbdcopy} and {@code nbdinfo} against the export's
 * URI, plus {@code qemu-img compare} for the copy, so the tests read exports with a real NBD client, not ours.
 */
final class NbdReader {
    private static final long TIMEOUT_SECONDS = 60;

    /** One run of a tool: exit code and merged output. */
    record Run(int exit, String output) {
    }

    /** A byte range of the disk. */
    record Extent(long offset, long length) {
    }

    private NbdReader() {
    }

    /** Copies the whole export into a raw file; fails with the tool's output if it cannot. */
    static void copy(String uri, Path rawFile) {
        Run run = run("nbdcopy", uri, rawFile.toString());
        if (run.exit() != 0) {
            throw new IllegalStateException("nbdcopy " + uri + " exited " + run.exit() + ":\n" + run.output());
        }
    }

    /** Whether an NBD client can connect to the export and read its size. */
    static boolean served(String uri) {
        return run("nbdinfo", "--size", uri).exit() == 0;
    }

    /** The extents a meta context marks with bit 0 (dirty, for qemu:dirty-bitmap), adjacent ones merged. */
    static List<Extent> dirtyExtents(String uri, String context) {
        Run run = run("nbdinfo", "--map=" + context, uri);
        if (run.exit() != 0) {
            throw new IllegalStateException("nbdinfo --map " + uri + " exited " + run.exit() + ":\n" + run.output());
        }
        List<Extent> dirty = new ArrayList<>();
        for (String line : run.output().strip().split("\n")) {
            // "offset length type description", e.g. "4194304  65536  1  dirty"
            String[] columns = line.strip().split("\\s+");
            long offset = Long.parseLong(columns[0]);
            long length = Long.parseLong(columns[1]);
            if ((Integer.parseInt(columns[2]) & 1) == 0) {
                continue;
            }
            Extent last = dirty.isEmpty() ? null : dirty.get(dirty.size() - 1);
            if (last != null && last.offset() + last.length() == offset) {
                dirty.set(dirty.size() - 1, new Extent(last.offset(), last.length() + length));
            } else {
                dirty.add(new Extent(offset, length));
            }
        }
        return dirty;
    }

    /** qemu-img compare of a raw copy with a qcow2: true when the guest-visible content is identical. */
    static boolean identical(Path raw, Path qcow2) {
        Run run = run("qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw.toString(), qcow2.toString());
        // 0 identical, 1 different, anything else an error.
        if (run.exit() > 1) {
            throw new IllegalStateException("qemu-img compare exited " + run.exit() + ":\n" + run.output());
        }
        return run.exit() == 0;
    }

    private static Run run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
