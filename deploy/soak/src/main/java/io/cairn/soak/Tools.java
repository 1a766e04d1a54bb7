package io.cairn.soak;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short external commands (qemu-img, nbdinfo, mount) with a bounded run time and their output kept. */
final class Tools {

    /** What a command did: its exit code (-1 when it could not run or timed out) and its merged output. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private Tools() {
    }

    static Result run(List<String> command) {
        return run(command, 120);
    }

    static Result run(List<String> command, int timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // Read on the side: a process that fills the pipe must not stall the wait below.
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process went away
                }
            }, "soak-tool-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, String.join(" ", command) + ": timed out after " + timeoutSeconds + " s");
            }
            reader.join(5_000);
            synchronized (output) {
                return new Result(process.exitValue(), output.toString());
            }
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted running " + command.get(0));
        }
    }

    /**
     * Waits until {@code condition} holds, evaluating it every {@code poll}; false if it still does not after
     * {@code atMost}. Every wait for something to happen goes through here.
     */
    static boolean until(Duration atMost, Duration poll, BooleanSupplier condition) {
        try {
            Awaitility.await().atMost(atMost.toMillis() > 0 ? atMost : Duration.ofMillis(1)).pollDelay(Duration.ZERO)
                    .pollInterval(poll).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Lets a deliberate length of time pass: a fault's duration, a user's pause between two sends, a back-off before a
     * retry. Never to wait for something to happen: that is {@link #until}.
     */
    static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
