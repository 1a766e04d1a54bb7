package io.cairn.soak;

import java.util.Map;
import java.util.TreeMap;

/** Counts by name, for the status lines and the final table. */
final class Tally {
    private final Map<String, Integer> counts = new TreeMap<>();

    synchronized void add(String name) {
        counts.merge(name, 1, Integer::sum);
    }

    synchronized int get(String name) {
        return counts.getOrDefault(name, 0);
    }

    synchronized Map<String, Integer> snapshot() {
        return new TreeMap<>(counts);
    }

    synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
