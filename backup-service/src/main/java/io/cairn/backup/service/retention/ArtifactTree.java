package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.DiskRestore;
import io.cairn.backup.service.catalog.RestorePoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each artifact's link below it, as {@code RestorePoints} stacks chains: pruning works on artifacts, and with
 * reused checkpoint names two incrementals can share a base, so the links form a tree per disk, not one chain.
 */
final class ArtifactTree {

    private final Map<String, DiskRestore> chainOf = new HashMap<>();

    ArtifactTree(List<RestorePoint> points) {
        for (RestorePoint point : points) {
            for (DiskRestore disk : point.disks()) {
                List<Artifact> chain = disk.chain();
                chainOf.put(chain.get(chain.size() - 1).id(), disk);
            }
        }
    }

    /** The artifact this one is stacked on; null for a full, or when the link is missing. */
    Artifact below(Artifact artifact) {
        List<Artifact> chain = chainOf.get(artifact.id()).chain();
        return chain.size() < 2 ? null : chain.get(chain.size() - 2);
    }

    /** Whether the chain under the artifact reaches a full (no missing link). */
    boolean restorable(Artifact artifact) {
        return chainOf.get(artifact.id()).complete();
    }
}
