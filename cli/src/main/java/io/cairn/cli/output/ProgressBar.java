package io.cairn.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A backup's or restore's live progress on stderr: a bar, percent, bytes and rate. On a terminal it redraws one
 * line; otherwise (a log, a pipe) it prints a line only when the state or the tenth of the work changes.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    /** How often a bar is redrawn from the work's view. */
    private static final java.time.Duration REFRESH = java.time.Duration.ofMillis(500);

    private final PrintStream err;
    private final boolean terminal;
    private long lastBytes = -1;
    private long lastNanos;
    private double rate;
    private String lastPrinted = "";
    private String lastKey = "";

    public ProgressBar(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    public void update(JsonNode job, long nanos) {
        JsonNode stats = job.path("statistics");
        boolean pull = "pull".equalsIgnoreCase(job.path("mode").asText());
        long done = stats.path(pull ? "disk_temp_used" : "disk_processed").asLong(0);
        long total = stats.path(pull ? "disk_temp_total" : "disk_total").asLong(0);
        update(job.path("state").asText("?"), done, total, nanos, pull ? " (scratch used)" : "");
    }

    /** Any work measured in bytes (a restore: artifacts checked, disks written and compared). */
    public void update(String state, long done, long total, long nanos, String note) {
        if (lastBytes >= 0 && nanos > lastNanos && done >= lastBytes) {
            rate = (done - lastBytes) * 1e9 / (nanos - lastNanos);
        }
        lastBytes = done;
        lastNanos = nanos;
        String line = render(state, done, total, rate, note);
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastPrinted.length() - line.length())));
            err.flush();
        } else {
            int percent = total > 0 ? (int) (done * 100 / total) : 0;
            String key = state + (percent / 10);
            if (!key.equals(lastKey)) {
                err.println(line);
            }
            lastKey = key;
        }
        lastPrinted = line;
    }

    /**
     * The pause between two redraws, while the caller reads the work's view again. This one sleeps on purpose: the bar
     * shows progress as it goes, so the view is read at a display rate; waiting for the end alone would need no loop
     * (the outcome can be long-polled), but would draw nothing in between.
     */
    public static void pauseBeforeRedraw() {
        try {
            Thread.sleep(REFRESH.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Ends the redrawn line. */
    public void finish() {
        if (terminal && !lastPrinted.isEmpty()) {
            err.println();
        }
    }

    static String render(String state, long done, long total, double rate, String note) {
        int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
        int filled = total > 0 ? (int) Math.min(WIDTH, done * WIDTH / total) : 0;
        String bar = "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
        return String.format(Locale.ROOT, "%s %3d%%  %s / %s  %s  %s%s", bar, percent, Bytes.of(done),
                Bytes.of(total), Bytes.rate(rate), state, note);
    }
}
