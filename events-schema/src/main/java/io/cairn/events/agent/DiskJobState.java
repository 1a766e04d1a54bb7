package io.cairn.events.agent;

/** libvirt's per-disk backup states (status XML {@code state=}), driven by QEMU's job events. */
public enum DiskJobState {
    RUNNING, COMPLETE, FAILED, CANCELLING, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETE || this == FAILED || this == CANCELLED;
    }
}
