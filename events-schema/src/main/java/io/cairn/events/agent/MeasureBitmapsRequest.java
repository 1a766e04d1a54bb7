package io.cairn.events.agent;

import java.util.List;

/** Measures the bytes dirtied since each bitmap was created (libvirt's checkpoint SIZE), via a temporary merge. */
public record MeasureBitmapsRequest(String requestId, String hostId, String domain, List<DiskBitmap> bitmaps)
        implements AgentRequest {
    public static final String TYPE = "bitmaps.measure";

    public MeasureBitmapsRequest {
        bitmaps = List.copyOf(bitmaps);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
