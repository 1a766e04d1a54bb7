package io.cairn.events.agent;

import java.util.List;

/**
 * Removes bitmaps in one QMP transaction (checkpoint delete, or undoing a create whose answer came too late).
 *
 * @param ignoreMissing true to treat an already absent bitmap as removed (undo and cleanup paths)
 */
public record RemoveBitmapsRequest(String requestId, String hostId, String domain, List<DiskBitmap> bitmaps,
        boolean ignoreMissing) implements AgentRequest {
    public static final String TYPE = "bitmaps.remove";

    public RemoveBitmapsRequest {
        bitmaps = List.copyOf(bitmaps);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
