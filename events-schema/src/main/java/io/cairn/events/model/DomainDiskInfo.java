package io.cairn.events.model;

import java.util.Objects;

/**
 * One disk of a domain, as much as checkpoint and backup alignment need to know about it.
 *
 * @param target     the guest target name ({@code <target dev=>}), e.g. {@code vda}
 * @param sourcePath the host path of the source (file or device); null when the drive has no media
 * @param sourceType how the source is reached (file, block, ...)
 * @param format     the image format ({@code <driver type=>}), e.g. {@code qcow2}; may be null
 * @param readonly   {@code <readonly/>}: never checkpointed nor backed up by default
 * @param empty      no media (an empty CD-ROM, say): never checkpointed nor backed up
 */
public record DomainDiskInfo(
        String target, String sourcePath, DiskSourceType sourceType, String format, boolean readonly, boolean empty) {

    public DomainDiskInfo {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sourceType, "sourceType");
    }

    /** A writable file-backed disk, the common case. */
    public static DomainDiskInfo file(String target, String sourcePath, String format) {
        return new DomainDiskInfo(target, sourcePath, DiskSourceType.FILE, format, false, sourcePath == null);
    }

    /** A writable block-device-backed disk. */
    public static DomainDiskInfo block(String target, String devicePath, String format) {
        return new DomainDiskInfo(target, devicePath, DiskSourceType.BLOCK, format, false, devicePath == null);
    }

    /** A drive without media, e.g. an empty CD-ROM tray. */
    public static DomainDiskInfo emptyDrive(String target) {
        return new DomainDiskInfo(target, null, DiskSourceType.FILE, null, true, true);
    }

    public DomainDiskInfo asReadonly() {
        return new DomainDiskInfo(target, sourcePath, sourceType, format, true, empty);
    }
}
