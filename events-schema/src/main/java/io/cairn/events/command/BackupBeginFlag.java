package io.cairn.events.command;

/** Flags of {@code virDomainBackupBegin}, named as in JSON and valued as in libvirt. */
public enum BackupBeginFlag implements LibvirtFlag {
    /** Push targets / pull scratch files already exist (pre-created by the caller) and are written into as they are. */
    REUSE_EXTERNAL(1);

    private final int value;

    BackupBeginFlag(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String libvirtName() {
        return "VIR_DOMAIN_BACKUP_BEGIN_" + name();
    }
}
