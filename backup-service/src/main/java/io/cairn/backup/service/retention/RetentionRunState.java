package io.cairn.backup.service.retention;

import java.util.EnumSet;
import java.util.Set;

/** A retention run's life, with the moves it may make: waiting for its domain, running on the agent, ended once. */
public enum RetentionRunState {
    /** Asked (after a backup); waits until the domain has no backup, restore or other run active. */
    PENDING,
    /** Planned and handed to the agent, which reports after each step. */
    RUNNING,
    COMPLETED,
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }

    public boolean canMoveTo(RetentionRunState next) {
        Set<RetentionRunState> allowed = switch (this) {
            case PENDING -> EnumSet.of(RUNNING, COMPLETED, FAILED);
            case RUNNING -> EnumSet.of(COMPLETED, FAILED);
            case COMPLETED, FAILED -> EnumSet.noneOf(RetentionRunState.class);
        };
        return allowed.contains(next);
    }
}
