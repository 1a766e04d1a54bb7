package io.cairn.testing.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the short-lived QEMU tools (qemu-img, qemu-io) with their output appended to a log file. */
final class ExternalCommand {

    private static final long TIMEOUT_SECONDS = 120;

    private ExternalCommand() {
    }

    /** Runs the command and returns its exit code; output goes to {@code log}. */
    static int run(List<String> command, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            appendLine(log, "$ " + String.join(" ", command));
            Process process = builder.start();
            QemuProcessReaper.register(process);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + TIMEOUT_SECONDS + " s: " + command);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Runs the command and fails, quoting the log, unless it exits with 0. */
    static void runOrFail(List<String> command, Path log) {
        int exit = run(command, log);
        if (exit != 0) {
            throw new IllegalStateException("exit " + exit + " from " + command + "; log " + log + ":\n" + QemuLog.tail(log));
        }
    }

    private static void appendLine(Path log, String line) throws IOException {
        Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
