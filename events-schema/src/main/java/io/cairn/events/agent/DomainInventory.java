package io.cairn.events.agent;

import java.util.List;

/**
 * A domain running on a host: its UUID (QEMU's query-uuid, libvirt's {@code <uuid>}; null when QEMU has none or the
 * agent predates it), its QEMU run state, disks, and the backup jobs QEMU still knows.
 */
public record DomainInventory(String name, String uuid, String runState, List<DiskInventory> disks,
        List<String> jobs) {
    public DomainInventory {
        disks = disks == null ? List.of() : List.copyOf(disks);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** A domain without a known UUID. */
    public DomainInventory(String name, String runState, List<DiskInventory> disks, List<String> jobs) {
        this(name, null, runState, disks, jobs);
    }
}
