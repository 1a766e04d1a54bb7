package io.cairn.checkpoint.service.lineage;

import io.cairn.events.command.CheckpointDeleteFlag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@code virDomainCheckpointDelete} does, decided before anything changes, so the service can remove the
 * bitmaps on the host first and commit the metadata only once they are gone.
 *
 * @param target          the checkpoint named in the call
 * @param flags           the delete flags
 * @param removed         every checkpoint removed, in pre-order (each before its own descendants)
 * @param reparented      children moved to the target's parent (plain delete of a checkpoint with children)
 * @param currentBefore   the current checkpoint before, or null
 * @param currentAfter    the current checkpoint after, or null
 * @param bitmapRemovals  the bitmaps to remove on the host, in the order of {@code removed}; empty with METADATA_ONLY
 */
public record DeletionPlan(
        String target,
        Set<CheckpointDeleteFlag> flags,
        List<String> removed,
        List<Reparenting> reparented,
        String currentBefore,
        String currentAfter,
        List<BitmapRemoval> bitmapRemovals) {

    public DeletionPlan {
        flags = Collections.unmodifiableSet(flags.isEmpty()
                ? EnumSet.noneOf(CheckpointDeleteFlag.class) : EnumSet.copyOf(flags));
        removed = List.copyOf(removed);
        reparented = List.copyOf(reparented);
        bitmapRemovals = List.copyOf(bitmapRemovals);
    }

    public boolean metadataOnly() {
        return flags.contains(CheckpointDeleteFlag.METADATA_ONLY);
    }

    /** The bitmaps to remove grouped by disk (disks in first-seen order), the shape one QMP transaction per disk needs. */
    public Map<String, List<String>> bitmapsByDisk() {
        Map<String, List<String>> byDisk = new LinkedHashMap<>();
        for (BitmapRemoval removal : bitmapRemovals) {
            byDisk.computeIfAbsent(removal.disk(), disk -> new ArrayList<>()).add(removal.bitmap());
        }
        byDisk.replaceAll((disk, bitmaps) -> List.copyOf(bitmaps));
        return Collections.unmodifiableMap(byDisk);
    }
}
