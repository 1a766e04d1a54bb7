package io.cairn.backup.service.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * A backup job's overall lifecycle, with the only moves it allows, so no code path can resurrect an ended job or
 * skip the admission step.
 */
public enum JobState {
    /** Accepted, waiting for a per-host or fleet-wide slot. */
    QUEUED,
    /** Admitted; the start request is on its way to the host agent. */
    STARTING,
    /** The agent reported QEMU's backup jobs running. */
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Holds a host and fleet slot: the agent is (or is about to be) doing work for this job. */
    public boolean holdsSlot() {
        return this == STARTING || this == RUNNING;
    }

    public boolean canMoveTo(JobState next) {
        return successors().contains(next);
    }

    public Set<JobState> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(STARTING, FAILED, CANCELLED);
            case STARTING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(COMPLETED, FAILED, CANCELLED);
            case COMPLETED, FAILED, CANCELLED -> EnumSet.noneOf(JobState.class);
        };
    }

    /** Fails loudly on a move the lifecycle forbids: that is a bug in the caller, never a user error. */
    public JobState requireMoveTo(JobState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a backup job cannot move from " + this + " to " + next);
        }
        return next;
    }
}
