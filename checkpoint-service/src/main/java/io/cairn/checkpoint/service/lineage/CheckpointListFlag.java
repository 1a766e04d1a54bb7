package io.cairn.checkpoint.service.lineage;

import io.cairn.events.command.LibvirtFlag;

/**
 * Flags of {@code virDomainListAllCheckpoints} and {@code virDomainCheckpointListAllChildren}, valued as in libvirt
 * (events-schema has no list flags yet because no command or event carries them).
 */
public enum CheckpointListFlag implements LibvirtFlag {
    /** ListAll: only checkpoints without a parent. */
    ROOTS(1),
    /** ListAllChildren: the whole subtree instead of direct children; the same bit as ROOTS, as in libvirt. */
    DESCENDANTS(1),
    /** Every parent before its children. */
    TOPOLOGICAL(2),
    /** Only checkpoints without children. */
    LEAVES(4),
    /** Only checkpoints with children. */
    NO_LEAVES(8);

    /** Every bit libvirt's checkpoint listing accepts; anything else is refused as libvirt's driver does. */
    public static final int SUPPORTED_MASK = 1 | 2 | 4 | 8;

    private final int value;

    CheckpointListFlag(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    @Override
    public String libvirtName() {
        return "VIR_DOMAIN_CHECKPOINT_LIST_" + name();
    }

    static boolean isSet(int flags, CheckpointListFlag flag) {
        return (flags & flag.value) != 0;
    }
}
