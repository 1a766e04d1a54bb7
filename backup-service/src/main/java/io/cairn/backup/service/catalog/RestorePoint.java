package io.cairn.backup.service.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A state of a domain's disks that its backups can give back: the disks one completed backup captured, each with
 * the chain of artifacts that restores it. Incomplete when any disk's chain has a gap; the reasons say which.
 *
 * @param checkpoint the checkpoint the backup created (the usual name of a restore point); null if it created none
 */
public record RestorePoint(String checkpoint, String jobId, Instant time, List<DiskRestore> disks) {
    public RestorePoint {
        disks = List.copyOf(disks);
    }

    public boolean complete() {
        return disks.stream().allMatch(DiskRestore::complete);
    }

    /** Each incomplete disk's reason, in disk order. */
    public List<String> problems() {
        return disks.stream().filter(disk -> !disk.complete()).map(DiskRestore::missing).toList();
    }
}
