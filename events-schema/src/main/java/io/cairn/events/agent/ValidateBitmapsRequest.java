package io.cairn.events.agent;

import java.util.List;

/** Checks libvirt's bitmap-chain rules (present, persistent, recording, consistent) for each named bitmap. */
public record ValidateBitmapsRequest(String requestId, String hostId, String domain, List<DiskBitmap> bitmaps)
        implements AgentRequest {
    public static final String TYPE = "bitmaps.validate";

    public ValidateBitmapsRequest {
        bitmaps = List.copyOf(bitmaps);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
