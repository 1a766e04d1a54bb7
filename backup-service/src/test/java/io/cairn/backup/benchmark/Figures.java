package io.cairn.backup.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Formatting of what the benchmarks print: median and max of repeated runs, and the load they ran under. */
final class Figures {
    private Figures() {
    }

    static double medianMillis(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e6;
    }

    static double maxMillis(List<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
    }

    /** "median X ms, max Y ms (runs [...])". */
    static String summary(List<Long> nanos) {
        return String.format("median %.0f ms, max %.0f ms (runs %s)", medianMillis(nanos), maxMillis(nanos),
                Arrays.toString(nanos.stream().mapToLong(v -> Math.round(v / 1e6)).toArray()));
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average " + fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return "load average unknown";
        }
    }

    static void print(String format, Object... args) {
        System.out.printf("BENCHMARK " + format + " [" + load() + "]%n", args);
    }
}
