package io.cairn.testing.qemu;

import java.util.List;

/** What a test wants on one guest disk: its device id (vda), virtual size and initial content. */
public record DiskSpec(String deviceId, long sizeBytes, List<PatternWrite> initialWrites) {

    public DiskSpec {
        if (!deviceId.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("device id must be a plain qdev id: " + deviceId);
        }
        if (sizeBytes <= 0 || sizeBytes % 512 != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of 512: " + sizeBytes);
        }
        initialWrites = List.copyOf(initialWrites);
    }

    public static DiskSpec empty(String deviceId, long sizeBytes) {
        return new DiskSpec(deviceId, sizeBytes, List.of());
    }
}
