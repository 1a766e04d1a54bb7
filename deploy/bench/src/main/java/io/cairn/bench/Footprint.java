package io.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Resident memory of each service and the agent (their pid files in the run directory), idle at the start and at its
 * highest while the benchmark runs, sampled on a thread of its own.
 */
final class Footprint implements AutoCloseable {
    static final List<String> PROCESSES = List.of("checkpoint-service", "backup-service", "host-agent");

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> idleKib = new LinkedHashMap<>();
    private final Map<String, Long> peakKib = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bench-footprint");
        thread.setDaemon(true);
        return thread;
    });

    Footprint(Path runDir) {
        for (String name : PROCESSES) {
            pidOf(runDir.resolve(name + ".pid")).ifPresent(pid -> pids.put(name, pid));
        }
        pids.forEach((name, pid) -> rssKib(pid).ifPresent(kib -> idleKib.put(name, kib)));
        sampler.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        pids.forEach((name, pid) -> rssKib(pid).ifPresent(kib -> peakKib.merge(name, kib, Math::max)));
    }

    Map<String, Long> idleKib() {
        return idleKib;
    }

    Map<String, Long> peakKib() {
        return new LinkedHashMap<>(peakKib);
    }

    private static Optional<Long> pidOf(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
