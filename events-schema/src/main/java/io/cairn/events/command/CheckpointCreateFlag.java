package io.cairn.events.command;

/** Flags of {@code virDomainCheckpointCreateXML}, named as in JSON and valued as in libvirt. */
public enum CheckpointCreateFlag implements LibvirtFlag {
    /** Restore or alter checkpoint metadata instead of creating a new bitmap. */
    REDEFINE(1),
    /** Freeze guest file systems through the guest agent while the bitmaps start. */
    QUIESCE(2),
    /** With REDEFINE: also check that the bitmaps really exist and are consistent. */
    REDEFINE_VALIDATE(4);

    private final int value;

    CheckpointCreateFlag(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String libvirtName() {
        return "VIR_DOMAIN_CHECKPOINT_CREATE_" + name();
    }
}
