package io.cairn.events.agent;

import io.cairn.events.model.BackupMode;

/** The whole job's state, aggregated from its disks with libvirt's rule (an aborted pull backup completes). */
public enum BackupJobState {
    STARTING, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /**
     * libvirt's verdict for a job whose disks have all ended ({@code qemuBackupNotifyBlockjobEnd}): any failed disk
     * fails it; a cancelled disk cancels a push backup, while cancelling is how a pull backup ends, so a pull
     * completes. The one statement of the rule, for the agent that reports the job and the service that judges it.
     */
    public static BackupJobState ofEndedDisks(BackupMode mode, boolean anyFailed, boolean anyCancelled) {
        if (anyFailed) {
            return FAILED;
        }
        return anyCancelled && mode == BackupMode.PUSH ? CANCELLED : COMPLETED;
    }
}
