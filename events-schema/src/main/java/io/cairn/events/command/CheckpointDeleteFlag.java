package io.cairn.events.command;

/** Flags of {@code virDomainCheckpointDelete}, named as in JSON and valued as in libvirt. */
public enum CheckpointDeleteFlag implements LibvirtFlag {
    /** Also delete every descendant of the checkpoint. */
    CHILDREN(1),
    /** Delete only Cairn's and libvirt's record, keep the bitmaps on disk. */
    METADATA_ONLY(2),
    /** Delete the descendants but keep the checkpoint itself. */
    CHILDREN_ONLY(4);

    private final int value;

    CheckpointDeleteFlag(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String libvirtName() {
        return "VIR_DOMAIN_CHECKPOINT_DELETE_" + name();
    }
}
