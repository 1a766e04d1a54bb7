package io.cairn.backup.service.restore;

import java.util.EnumSet;
import java.util.Set;

/**
 * A restore's life, with the moves it may make: asked of the agent, running there, for an export serving, then ended
 * once for good.
 */
public enum RestoreState {
    /** Stored; the agent has not accepted it yet. */
    STARTING,
    /** The agent accepted it and reports while it runs (an export: while it checks the artifacts). */
    RUNNING,
    /** An export serves its NBD endpoint until restore.end or its time-to-live; its agent reports every heartbeat. */
    EXPORTED,
    COMPLETED,
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }

    /** STARTING may skip RUNNING (a report that the restore ended can overtake the agent's answer). */
    public boolean canMoveTo(RestoreState next) {
        Set<RestoreState> allowed = switch (this) {
            case STARTING -> EnumSet.of(RUNNING, EXPORTED, COMPLETED, FAILED);
            case RUNNING -> EnumSet.of(EXPORTED, COMPLETED, FAILED);
            case EXPORTED -> EnumSet.of(COMPLETED, FAILED);
            case COMPLETED, FAILED -> EnumSet.noneOf(RestoreState.class);
        };
        return allowed.contains(next);
    }
}
