package io.cairn.events.agent;

/**
 * Where a restore is on its host: running, serving (an export, reported again while it serves, as a sign of life),
 * or ended one way or the other.
 */
public enum RestoreJobState {
    RUNNING, EXPORTED, COMPLETED, FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
