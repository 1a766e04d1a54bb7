package io.cairn.backup.benchmark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The most jobs holding a slot at one instant, from their intervals: the check that fair use was kept. */
final class Concurrency {
    private Concurrency() {
    }

    /** Peak overlap of the started intervals that match; an end and a start at the same instant do not overlap. */
    static int peak(List<JobInterval> intervals, Predicate<JobInterval> which) {
        List<Map.Entry<Instant, Integer>> edges = new ArrayList<>();
        for (JobInterval job : intervals) {
            if (job.startedAt() != null && which.test(job)) {
                edges.add(Map.entry(job.startedAt(), +1));
                edges.add(Map.entry(job.endedAt() == null ? Instant.MAX : job.endedAt(), -1));
            }
        }
        edges.sort(Map.Entry.<Instant, Integer>comparingByKey().thenComparing(Map.Entry::getValue));
        int running = 0;
        int peak = 0;
        for (Map.Entry<Instant, Integer> edge : edges) {
            running += edge.getValue();
            peak = Math.max(peak, running);
        }
        return peak;
    }

    /** Peak per host. */
    static Map<String, Integer> peakPerHost(List<JobInterval> intervals) {
        Map<String, Integer> peaks = new TreeMap<>(Comparator.naturalOrder());
        intervals.stream().map(JobInterval::hostId).distinct().forEach(host ->
                peaks.put(host, peak(intervals, job -> job.hostId().equals(host))));
        return peaks;
    }

    /** Jobs holding a slot on average, from the first start to the last end. */
    static double mean(List<JobInterval> intervals) {
        Instant first = intervals.stream().map(JobInterval::startedAt).filter(t -> t != null)
                .min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Instant last = intervals.stream().map(JobInterval::endedAt).filter(t -> t != null)
                .max(Comparator.naturalOrder()).orElse(first);
        long span = java.time.Duration.between(first, last).toNanos();
        return span == 0 ? 0 : intervals.stream().mapToLong(JobInterval::holdNanos).filter(n -> n >= 0).sum()
                / (double) span;
    }
}
