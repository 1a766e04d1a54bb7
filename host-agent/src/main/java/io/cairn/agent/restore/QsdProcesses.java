package io.cairn.agent.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds and stops qemu-storage-daemon processes by pid, including ones a previous agent process started (not our
 * children, so no {@link Process} handle). A pid is only ever signalled after {@code /proc/<pid>/cmdline} shows it is
 * still qemu-storage-daemon serving the expected key directory: pids are reused, and killing a stranger is worse than
 * leaving a leftover. Blocking.
 */
final class QsdProcesses {

    private QsdProcesses() {
    }

    /** Whether the process is a qemu-storage-daemon whose command line carries {@code marker}. */
    static boolean isDaemonWith(long pid, String marker) {
        List<String> argv;
        try {
            argv = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).split("\0"));
        } catch (IOException gone) {
            return false;
        }
        if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().equals(QsdCommand.BINARY)) {
            return false;
        }
        return argv.stream().anyMatch(argument -> argument.contains(marker));
    }

    /** The running daemon whose command line carries {@code marker}, found by scanning every process. */
    static Optional<ProcessHandle> find(String marker) {
        return ProcessHandle.allProcesses().filter(process -> isDaemonWith(process.pid(), marker)).findFirst();
    }

    /**
     * SIGTERM (qsd closes its exports and exits), then SIGKILL if it is still there after {@code grace}; true when it
     * is gone.
     */
    static boolean stop(ProcessHandle process, Duration grace) {
        process.destroy();
        if (exited(process, grace)) {
            return true;
        }
        process.destroyForcibly();
        return exited(process, grace);
    }

    private static boolean exited(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
