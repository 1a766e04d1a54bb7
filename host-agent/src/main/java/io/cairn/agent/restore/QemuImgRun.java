package io.cairn.agent.restore;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one long qemu-img command (convert, compare) on the calling thread, following its {@code -p} progress, which
 * qemu-img prints as {@code (12.34/100%)} separated by carriage returns; keeps the tail of everything else it says for
 * the error message. No timeout: a restore of a large disk takes as long as it takes; {@link #kill} ends it.
 * Blocking: call it from a worker thread.
 */
final class QemuImgRun {
    private static final Pattern PROGRESS = Pattern.compile("\\((\\d+(?:\\.\\d+)?)/100%\\)");
    private static final int KEEP = 8 * 1024;
    private static final String NO_SPACE = "No space left on device";

    private final List<String> command;
    private volatile Process process;
    private volatile boolean killed;

    QemuImgRun(List<String> command) {
        this.command = List.copyOf(command);
    }

    /**
     * Runs it to the end; {@code percent} hears each progress figure (0 to 100).
     *
     * @return the exit status (qemu-img compare: 0 identical, 1 different)
     * @throws CairnException when it cannot start, or fails with status 2 or more
     */
    int run(DoubleConsumer percent) {
        String line = String.join(" ", command);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + line, e);
        }
        if (killed) {
            kill(); // killed before it had started
        }
        StringBuilder said = new StringBuilder();
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close(); // qemu-img reads nothing
            StringBuilder token = new StringBuilder();
            int c;
            while ((c = out.read()) >= 0) {
                if (c == '\r' || c == '\n') {
                    consume(token, said, percent);
                    token.setLength(0);
                } else {
                    token.append((char) c);
                }
            }
            consume(token, said, percent);
            int status = process.waitFor();
            if (status >= 2 || (status == 1 && !command.contains("compare"))) {
                String text = said.toString().strip();
                if (text.contains(NO_SPACE)) {
                    throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR, line + " failed: " + text);
                }
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: qemu-img "
                        + command.get(1) + " exited with " + status + ": " + text);
            }
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + line, e);
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + line, e);
        }
    }

    /** Ends the process (and anything it started), if it runs. */
    void kill() {
        killed = true;
        Process running = process;
        if (running != null) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }

    private static void consume(StringBuilder token, StringBuilder said, DoubleConsumer percent) {
        if (token.isEmpty()) {
            return;
        }
        Matcher progress = PROGRESS.matcher(token);
        if (progress.find() && token.toString().strip().startsWith("(")) {
            percent.accept(Double.parseDouble(progress.group(1)));
            return;
        }
        if (said.length() < KEEP) {
            said.append(token, 0, Math.min(token.length(), KEEP - said.length())).append('\n');
        }
    }
}
