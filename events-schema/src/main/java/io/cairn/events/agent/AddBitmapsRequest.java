package io.cairn.events.agent;

import java.util.List;

/**
 * Creates a checkpoint's persistent, recording bitmaps on all its disks in one QMP transaction (all or none).
 *
 * @param quiesce freeze the guest's file systems through its QEMU guest agent around the transaction (checkpoint
 *                QUIESCE); the answer then carries {@link AgentResult#frozenFilesystems()}. An agent that predates
 *                the field ignores it and answers without that count, which the caller must treat as "not
 *                quiesced"
 */
public record AddBitmapsRequest(String requestId, String hostId, String domain, List<DiskBitmap> bitmaps,
        boolean quiesce) implements AgentRequest {
    public static final String TYPE = "bitmaps.add";

    public AddBitmapsRequest {
        bitmaps = List.copyOf(bitmaps);
    }

    /** Without quiesce. */
    public AddBitmapsRequest(String requestId, String hostId, String domain, List<DiskBitmap> bitmaps) {
        this(requestId, hostId, domain, bitmaps, false);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
