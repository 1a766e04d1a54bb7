package io.cairn.agent.backup;

import io.cairn.events.agent.DiskJobState;
import java.util.EnumSet;
import java.util.Set;

/**
 * A disk's backup job as the agent tracks it. PREPARING covers the time before QEMU's transaction; the
 * rest are libvirt's per-disk states. Transitions are checked so a late or duplicate QEMU event cannot
 * move a finished disk again.
 */
public enum DiskPhase {
    PREPARING, RUNNING, CANCELLING, COMPLETE, FAILED, CANCELLED;

    private Set<DiskPhase> next() {
        return switch (this) {
            // A tiny disk's job may conclude before the transaction's reply has been handled.
            case PREPARING -> EnumSet.of(RUNNING, CANCELLING, COMPLETE, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(CANCELLING, COMPLETE, FAILED, CANCELLED);
            // A cancel can lose the race against the job's own end, which may be a success or an error.
            case CANCELLING -> EnumSet.of(CANCELLED, COMPLETE, FAILED);
            case COMPLETE, FAILED, CANCELLED -> EnumSet.noneOf(DiskPhase.class);
        };
    }

    public boolean canMoveTo(DiskPhase target) {
        return next().contains(target);
    }

    public DiskPhase moveTo(DiskPhase target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("disk job cannot go from " + this + " to " + target);
        }
        return target;
    }

    public boolean isTerminal() {
        return next().isEmpty();
    }

    public DiskJobState toReport() {
        return switch (this) {
            case PREPARING, RUNNING -> DiskJobState.RUNNING;
            case CANCELLING -> DiskJobState.CANCELLING;
            case COMPLETE -> DiskJobState.COMPLETE;
            case FAILED -> DiskJobState.FAILED;
            case CANCELLED -> DiskJobState.CANCELLED;
        };
    }
}
