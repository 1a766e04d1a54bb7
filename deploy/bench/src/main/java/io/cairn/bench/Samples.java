package io.cairn.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One path's timings (nanoseconds), summarised as the table shows them: median and p99 over the samples. */
final class Samples {
    private final List<Long> nanos = new ArrayList<>();

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    int count() {
        return nanos.size();
    }

    /** Milliseconds at the given quantile (0.5 = median), nearest-rank. */
    double quantileMillis(double quantile) {
        if (nanos.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(quantile * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }

    double medianMillis() {
        return quantileMillis(0.5);
    }

    double p99Millis() {
        return quantileMillis(0.99);
    }

    /** "12.3 / 45.6 ms (n=100)". */
    String summary() {
        return "%s / %s ms (n=%d)".formatted(millis(medianMillis()), millis(p99Millis()), count());
    }

    static String millis(double value) {
        return value >= 100 ? "%.0f".formatted(value) : "%.1f".formatted(value);
    }
}
