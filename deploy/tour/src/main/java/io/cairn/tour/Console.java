package io.cairn.tour;

import java.io.PrintStream;
import java.util.Locale;

/** What the tour prints: numbered steps, indented facts and progress bars a person can follow. */
final class Console {
    private final PrintStream out;
    private final long started = System.nanoTime();

    Console(PrintStream out) {
        this.out = out;
    }

    void step(int number, String title) {
        out.printf(Locale.ROOT, "%n[%5.1f s] Step %d: %s%n", seconds(), number, title);
    }

    void info(String format, Object... args) {
        out.println("  " + String.format(Locale.ROOT, format, args));
    }

    void progress(String label, long done, long total) {
        int width = 30;
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        out.printf(Locale.ROOT, "  %-16s [%s%s] %3d%%  %s / %s%n", label, "#".repeat(filled),
                ".".repeat(width - filled), total <= 0 ? 100 : done * 100 / total, size(done), size(total));
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    static String size(long bytes) {
        if (bytes >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
        }
        if (bytes >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1 << 10));
        }
        return bytes + " B";
    }
}
