package io.cairn.events.agent;

import java.util.List;

/**
 * One disk of a running domain: its device (target) name, the top format node QEMU uses for it, the image behind
 * it, and every bitmap on that node.
 */
public record DiskInventory(String device, String nodeName, String file, String format, long virtualSize,
        boolean readOnly, List<BitmapInfo> bitmaps) {
    public DiskInventory {
        bitmaps = bitmaps == null ? List.of() : List.copyOf(bitmaps);
    }
}
