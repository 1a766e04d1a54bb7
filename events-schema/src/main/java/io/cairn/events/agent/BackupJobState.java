package io.cairn.events.agent;

/** The whole job's state, aggregated from its disks with libvirt's rule (an aborted pull backup completes). */
public enum BackupJobState {
    STARTING, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
