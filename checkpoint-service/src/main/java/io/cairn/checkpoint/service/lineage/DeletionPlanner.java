package io.cairn.checkpoint.service.lineage;

import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** libvirt's qemuCheckpointDelete decisions (modern, remove-only semantics) computed without changing the tree. */
final class DeletionPlanner {
    private DeletionPlanner() {
    }

    static DeletionPlan plan(LineageNode target, LineageNode current, Set<CheckpointDeleteFlag> flags) {
        boolean children = flags.contains(CheckpointDeleteFlag.CHILDREN);
        boolean childrenOnly = flags.contains(CheckpointDeleteFlag.CHILDREN_ONLY);

        List<LineageNode> removed = new ArrayList<>();
        if (!childrenOnly) {
            removed.add(target);
        }
        List<LineageNode> descendants = new ArrayList<>();
        if (children || childrenOnly) {
            target.forEachDescendant(descendants::add);
        }
        removed.addAll(descendants);

        List<Reparenting> reparented = new ArrayList<>();
        if (!children && !childrenOnly) {
            String newParent = target.parent.isMetaroot() ? null : target.parent.name();
            for (LineageNode child : target.children()) {
                reparented.add(new Reparenting(child.name(), newParent));
            }
        }

        LineageNode newCurrent = current;
        // A current checkpoint among the discarded descendants hands "current" to the target...
        if (current != null && descendants.contains(current)) {
            newCurrent = target;
        }
        // ...and a discarded current target hands it on to its parent, if it has one.
        if (!childrenOnly && newCurrent == target) {
            newCurrent = target.parent.isMetaroot() ? null : target.parent;
        }

        List<BitmapRemoval> bitmaps = flags.contains(CheckpointDeleteFlag.METADATA_ONLY)
                ? List.of() : bitmapRemovals(removed);
        return new DeletionPlan(target.name(), flags, names(removed), reparented,
                current == null ? null : current.name(), newCurrent == null ? null : newCurrent.name(), bitmaps);
    }

    private static List<BitmapRemoval> bitmapRemovals(List<LineageNode> removed) {
        List<BitmapRemoval> removals = new ArrayList<>();
        for (LineageNode node : removed) {
            Checkpoint checkpoint = node.checkpoint;
            if (checkpoint.definition().disks() == null) {
                continue;
            }
            Set<String> missing = missingBitmaps(checkpoint.health());
            for (CheckpointDisk disk : checkpoint.definition().disks()) {
                if (disk.checkpoint() == CheckpointDiskMode.BITMAP) {
                    removals.add(new BitmapRemoval(checkpoint.name(), disk.name(), disk.bitmap(),
                            missing.contains(disk.name() + "/" + disk.bitmap())));
                }
            }
        }
        return removals;
    }

    private static Set<String> missingBitmaps(CheckpointHealth health) {
        Set<String> missing = new HashSet<>();
        for (BrokenBitmap broken : health.brokenDisks()) {
            if (broken.problem() == BitmapProblem.MISSING) {
                missing.add(broken.disk() + "/" + broken.bitmap());
            }
        }
        return missing;
    }

    private static List<String> names(List<LineageNode> nodes) {
        List<String> names = new ArrayList<>(nodes.size());
        for (LineageNode node : nodes) {
            names.add(node.name());
        }
        return names;
    }
}
