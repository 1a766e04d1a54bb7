package io.cairn.events.agent;

/** Where a restore is on its host: running, or ended one way or the other. */
public enum RestoreJobState {
    RUNNING, COMPLETED, FAILED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
