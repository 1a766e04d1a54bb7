package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.Artifact;
import java.util.List;

/**
 * One expired link taken out of a kept chain without losing what it held: {@code successor} (an artifact the plan
 * keeps, stacked directly on {@code expired}) is rewritten to stand on the expired link's own base, or alone when
 * the expired link is a full, and then reads exactly as before while no longer needing {@code expired}.
 *
 * <p>Why this direction: {@code qemu-img commit} pushes an image <em>down</em> into its backing file, so committing
 * the expired link would change its base, which is itself a restore point or the link of one (the reference's
 * pitfall c3: the full became cp1). A <em>safe</em> {@code qemu-img rebase} of the successor (never {@code -u}, which
 * would only rewrite the header and lose the expired link's data) copies into the successor every cluster it does
 * not hold itself whose content the expired link changed; files below stay untouched. The successor grows by at
 * most the expired link's data; the expired file is deleted later, after every step needing it has been applied.
 *
 * @param expiredBase the chain under the expired link when this step runs, nearest first, down to the full (its
 *                    links already in their final form when they are kept): what the agent stacks explicitly,
 *                    since file headers may name a file that does not exist; empty when the expired link is a full
 */
public record MergeStep(String disk, Artifact expired, Artifact successor, Kind kind, List<Artifact> expiredBase) {

    /** How the successor is rewritten. */
    public enum Kind {
        /** Safe {@code qemu-img rebase -b <base>} of the successor onto the expired link's base. */
        REBASE_ONTO_BASE,
        /** The expired link is a full: safe {@code qemu-img rebase -b ""}, the successor becomes a full itself. */
        REBASE_STANDALONE
    }

    public MergeStep {
        expiredBase = List.copyOf(expiredBase);
        if ((kind == Kind.REBASE_STANDALONE) != expiredBase.isEmpty()) {
            throw new IllegalArgumentException("a standalone rebase is exactly the one without a base: " + kind);
        }
    }

    /** The artifact the successor stands on afterwards; null when it becomes a full. */
    public Artifact base() {
        return expiredBase.isEmpty() ? null : expiredBase.get(0);
    }

    /** The successor's {@code incrementalFrom} once applied (for the catalog): its new base's checkpoint, or null. */
    public String newIncrementalFrom() {
        Artifact base = base();
        return base == null ? null : base.checkpoint();
    }
}
