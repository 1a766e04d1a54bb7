package io.cairn.backup.service.restore;

import io.cairn.events.agent.DiskRestorePlan;
import java.util.List;

/** What a restore will do, decided before anything runs: the host holding the artifacts, and per disk its work. */
public record RestorePlan(String hostId, List<DiskRestorePlan> disks) {
    public RestorePlan {
        disks = List.copyOf(disks);
    }
}
