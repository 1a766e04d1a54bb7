package io.cairn.checkpoint.service.lineage;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cairn.events.agent.BitmapInfo;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.command.ReservedNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Which checkpoint owns each bitmap a host reports: an operator's view of what the lineage and the disks agree on,
 * and of the bitmaps no checkpoint owns (left by hand, by another tool, or by a checkpoint deleted as metadata only)
 * that cost write performance and space for nothing.
 */
public final class BitmapOwnership {

    /**
     * One bitmap on one disk.
     *
     * @param checkpoint the checkpoint whose disk names this bitmap, or null when none does
     * @param temporary  a backup's or libvirt's own scratch bitmap ({@code backup-*}, {@code libvirt-tmp-*})
     */
    public record DiskBitmap(String disk, String bitmap, String checkpoint, boolean temporary, boolean recording,
            boolean inconsistent, long dirtyBytes) {

        @JsonProperty("unowned")
        public boolean unowned() {
            return checkpoint == null && !temporary;
        }
    }

    private BitmapOwnership() {
    }

    public static List<DiskBitmap> of(CheckpointTree tree, DomainInventory domain) {
        List<DiskBitmap> result = new ArrayList<>();
        for (DiskInventory disk : domain.disks()) {
            for (BitmapInfo bitmap : disk.bitmaps()) {
                result.add(new DiskBitmap(disk.device(), bitmap.name(), owner(tree, disk.device(), bitmap.name()),
                        isTemporary(bitmap.name()), bitmap.recording(), bitmap.inconsistent(), bitmap.count()));
            }
        }
        return result;
    }

    private static String owner(CheckpointTree tree, String device, String bitmap) {
        for (Checkpoint checkpoint : tree.checkpoints()) {
            if (checkpoint.definition().disks() != null && checkpoint.definition().disks().stream()
                    .anyMatch(d -> d.name().equals(device) && bitmap.equals(d.bitmap()))) {
                return checkpoint.name();
            }
        }
        return null;
    }

    private static boolean isTemporary(String bitmap) {
        return ReservedNames.isReserved(bitmap);
    }
}
