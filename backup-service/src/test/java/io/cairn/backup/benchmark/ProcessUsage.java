package io.cairn.backup.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak resident memory of a process, read from /proc (Linux), for the control plane's cost. */
record ProcessUsage(long pid, double cpuSeconds, long peakRssKib, long rssKib) {
    /** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    static ProcessUsage of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            return new ProcessUsage(pid, ticks / TICKS_PER_SECOND, kib(status, "VmHWM:"), kib(status, "VmRSS:"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc of " + pid, e);
        }
    }

    /** CPU seconds spent since {@code before}. */
    double cpuSince(ProcessUsage before) {
        return cpuSeconds - before.cpuSeconds;
    }

    private static long kib(String status, String field) {
        return status.lines().filter(line -> line.startsWith(field)).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(-1L);
    }
}
