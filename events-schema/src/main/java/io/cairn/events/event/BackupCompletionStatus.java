package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a backup job ended, as libvirt's job-completed event tells it. */
public enum BackupCompletionStatus {
    COMPLETED("completed"),
    FAILED("failed"),
    /** Ended by backup.abort (or by the domain stopping). */
    CANCELLED("cancelled");

    private final String wire;

    BackupCompletionStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
