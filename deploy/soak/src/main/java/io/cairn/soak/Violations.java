package io.cairn.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The invariants, and every violation of them found, each with a description precise enough to go and look. */
final class Violations {
    static final String OUTCOMES = "(1) exactly one outcome per accepted command";
    static final String ORPHANS = "(2) no orphan in QEMU after settle";
    static final String LINEAGE = "(3) lineage equals the bitmaps";
    static final String BACKUP_CHECKPOINTS = "(4) a backup's checkpoint exists only if it succeeded";
    static final String VERDICT = "(5) a job's verdict equals QEMU's";
    static final String RESTORE = "(6) every completed chain restores identically";
    static final List<String> ALL = List.of(OUTCOMES, ORPHANS, LINEAGE, BACKUP_CHECKPOINTS, VERDICT, RESTORE);

    private final Map<String, List<String>> found = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> coverage = new LinkedHashMap<>();
    private final Consumer<String> live;

    Violations(Consumer<String> live) {
        this.live = live;
        ALL.forEach(name -> found.put(name, new ArrayList<>()));
    }

    void add(String invariant, String description) {
        synchronized (found) {
            found.get(invariant).add(description);
        }
        live.accept("VIOLATION " + invariant.substring(0, 3) + " " + description);
    }

    /** Something that is not a violation but limits what the soak could check, or that a reader should know. */
    void note(String text) {
        synchronized (notes) {
            notes.add(text);
        }
    }

    /** How much of an invariant could be checked, in words (e.g. "412 of 415 jobs observed"). */
    void coverage(String invariant, String text) {
        synchronized (coverage) {
            coverage.merge(invariant, text, (a, b) -> a + "; " + b);
        }
    }

    int total() {
        synchronized (found) {
            return found.values().stream().mapToInt(List::size).sum();
        }
    }

    List<String> of(String invariant) {
        synchronized (found) {
            return List.copyOf(found.get(invariant));
        }
    }

    String coverageOf(String invariant) {
        synchronized (coverage) {
            return coverage.getOrDefault(invariant, "");
        }
    }

    List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }
}
