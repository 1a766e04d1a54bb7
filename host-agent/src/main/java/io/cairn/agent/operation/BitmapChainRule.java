package io.cairn.agent.operation;

import io.cairn.agent.inventory.DiskInventory;
import io.cairn.agent.qmp.DirtyBitmap;
import java.util.Optional;

/**
 * libvirt's qemuBlockBitmapChainIsValid for the top image: the bitmap must exist and be persistent,
 * recording and consistent. Backing layers are not inspected: Cairn never creates bitmaps below the top
 * image (it has no external snapshots), so a top-only check is the whole chain for it.
 */
public final class BitmapChainRule {

    public static final String MISSING = "missing";
    public static final String INCONSISTENT = "inconsistent";
    public static final String NOT_PERSISTENT = "not-persistent";
    public static final String NOT_RECORDING = "not-recording";

    private BitmapChainRule() {
    }

    /** Why the bitmap cannot serve as a checkpoint, or empty when it can. */
    public static Optional<String> problem(DiskInventory disk, String bitmapName) {
        Optional<DirtyBitmap> bitmap = disk.bitmap(bitmapName);
        if (bitmap.isEmpty()) {
            return Optional.of(MISSING);
        }
        // Inconsistent first: after a crash such a bitmap is also not recording, and that is the real reason.
        if (bitmap.get().inconsistent()) {
            return Optional.of(INCONSISTENT);
        }
        if (!bitmap.get().persistent()) {
            return Optional.of(NOT_PERSISTENT);
        }
        if (!bitmap.get().recording()) {
            return Optional.of(NOT_RECORDING);
        }
        return Optional.empty();
    }
}
