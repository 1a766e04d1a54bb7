package io.cairn.agent.inventory;

import java.util.List;
import java.util.Optional;

/** The disks of one QEMU in query-block order, read in one go so the control plane can compare checkpoints. */
public record VmInventory(String domain, List<DiskInventory> disks) {

    public VmInventory {
        disks = List.copyOf(disks);
    }

    public Optional<DiskInventory> disk(String deviceId) {
        return disks.stream().filter(disk -> disk.deviceId().equals(deviceId)).findFirst();
    }
}
