package io.cairn.agent.retention;

import io.cairn.agent.backup.ProcessOutput;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one qemu-img command to its end and gives back its exit code and first output bytes: a merge reads the whole
 * disk, so it may take long, but a hung qemu-img is killed at the timeout instead of holding a worker thread.
 */
final class QemuImgRun {

    /** qemu-img's own messages are a line or two; more than this is noise in an error report. */
    private static final int OUTPUT_LIMIT = 8 * 1024;
    private static final long OUTPUT_WAIT_MS = 1000;

    record Result(int exit, String output) {
    }

    private final String executable;
    private final Duration timeout;

    QemuImgRun(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** Exit code and output, whatever the code; throws only when it could not run or finish. */
    Result run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(arguments));
        String line = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR, "cannot run " + line + ": " + e.getMessage(), e);
        }
        ProcessOutput output = ProcessOutput.drain(process.getInputStream(), OUTPUT_LIMIT, "qemu-img-merge-output");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, "%s did not finish within %s: %s"
                        .formatted(line, timeout, output.text(OUTPUT_WAIT_MS, TimeUnit.MILLISECONDS)));
            }
            return new Result(process.exitValue(), output.text(OUTPUT_WAIT_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_ABORTED, "interrupted while running " + line, e);
        }
    }

    /** Runs it and requires exit code 0; a full disk is the host's storage (VIR_ERR_SYSTEM_ERROR), not a bug. */
    void require(String what, String... arguments) {
        Result result = run(arguments);
        if (result.exit() != 0) {
            VirErrorCode code = result.output().contains("No space left on device") ? VirErrorCode.VIR_ERR_SYSTEM_ERROR
                    : VirErrorCode.VIR_ERR_OPERATION_FAILED;
            throw new CairnException(code, "%s: qemu-img exited with %d: %s".formatted(what, result.exit(),
                    result.output()));
        }
    }

    /** Children first: once the parent is gone they can no longer be found, and would keep the pipe open. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
