package io.cairn.events.agent;

import java.util.List;

/** Creates a checkpoint's persistent, recording bitmaps on all its disks in one QMP transaction (all or none). */
public record AddBitmapsRequest(String requestId, String hostId, String domain, List<DiskBitmap> bitmaps)
        implements AgentRequest {
    public static final String TYPE = "bitmaps.add";

    public AddBitmapsRequest {
        bitmaps = List.copyOf(bitmaps);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
