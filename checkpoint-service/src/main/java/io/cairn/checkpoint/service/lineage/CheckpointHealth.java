package io.cairn.checkpoint.service.lineage;

import io.cairn.events.event.BrokenBitmap;
import java.util.List;
import java.util.Objects;

/**
 * Whether a checkpoint can still serve as an incremental base: libvirt has no such notion, Cairn learns it from the
 * agents' bitmap inventory and keeps it with the lineage.
 *
 * @param status      active or broken
 * @param brokenDisks every disk whose bitmap is missing or inconsistent; empty when active
 */
public record CheckpointHealth(HealthStatus status, List<BrokenBitmap> brokenDisks) {

    public static final CheckpointHealth ACTIVE = new CheckpointHealth(HealthStatus.ACTIVE, List.of());

    public CheckpointHealth {
        Objects.requireNonNull(status, "status");
        brokenDisks = brokenDisks == null ? List.of() : List.copyOf(brokenDisks);
        if (status == HealthStatus.ACTIVE && !brokenDisks.isEmpty()) {
            throw new IllegalArgumentException("an active checkpoint has no broken disks");
        }
        if (status == HealthStatus.BROKEN && brokenDisks.isEmpty()) {
            throw new IllegalArgumentException("a broken checkpoint names at least one broken disk");
        }
    }

    public static CheckpointHealth broken(List<BrokenBitmap> brokenDisks) {
        return new CheckpointHealth(HealthStatus.BROKEN, brokenDisks);
    }

    public boolean isBroken() {
        return status == HealthStatus.BROKEN;
    }
}
