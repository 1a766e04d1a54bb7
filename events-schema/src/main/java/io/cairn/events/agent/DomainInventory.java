package io.cairn.events.agent;

import java.util.List;

/** A domain running on a host: its QEMU run state, disks, and the backup jobs QEMU still knows. */
public record DomainInventory(String name, String runState, List<DiskInventory> disks, List<String> jobs) {
    public DomainInventory {
        disks = disks == null ? List.of() : List.copyOf(disks);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }
}
