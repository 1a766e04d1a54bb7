package io.cairn.agent.inventory;

import io.cairn.agent.qmp.DirtyBitmap;
import java.util.List;
import java.util.Optional;

/**
 * One guest disk as the agent reports it: device id, the top format node that holds its checkpoint
 * bitmaps, the image behind it, and its named bitmaps (anonymous ones belong to running block jobs).
 */
public record DiskInventory(String deviceId, String formatNodeName, String driver, String imageFilename,
        long virtualSize, List<DirtyBitmap> bitmaps) {

    public DiskInventory {
        bitmaps = List.copyOf(bitmaps);
    }

    public Optional<DirtyBitmap> bitmap(String name) {
        return bitmaps.stream().filter(bitmap -> bitmap.hasName(name)).findFirst();
    }

    public List<String> bitmapNames() {
        return bitmaps.stream().map(bitmap -> bitmap.name().orElseThrow()).toList();
    }
}
