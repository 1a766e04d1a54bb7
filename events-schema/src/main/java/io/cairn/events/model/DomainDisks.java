package io.cairn.events.model;

import java.util.List;
import java.util.Optional;

/**
 * The disks of a domain in domain order: what checkpoint and backup alignment are computed against
 * (the services and the host agent fill it from the real domain definition).
 */
public record DomainDisks(List<DomainDiskInfo> disks) {

    public DomainDisks {
        disks = List.copyOf(disks);
    }

    public static DomainDisks of(DomainDiskInfo... disks) {
        return new DomainDisks(List.of(disks));
    }

    public int size() {
        return disks.size();
    }

    /** The disk whose target is exactly {@code target} (libvirt's {@code virDomainDiskByTarget}). */
    public Optional<DomainDiskInfo> byTarget(String target) {
        for (DomainDiskInfo disk : disks) {
            if (disk.target().equals(target)) {
                return Optional.of(disk);
            }
        }
        return Optional.empty();
    }

    /**
     * The disk named by target, or by source path when the name starts with '/' (libvirt's
     * {@code virDomainDiskByName} without ambiguity): a path shared by two disks names neither.
     */
    public Optional<DomainDiskInfo> byTargetOrPath(String name) {
        if (!name.startsWith("/")) {
            return byTarget(name);
        }
        DomainDiskInfo found = null;
        for (DomainDiskInfo disk : disks) {
            if (name.equals(disk.sourcePath())) {
                if (found != null) {
                    return Optional.empty();
                }
                found = disk;
            }
        }
        return Optional.ofNullable(found);
    }
}
