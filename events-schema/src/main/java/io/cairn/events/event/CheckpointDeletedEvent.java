package io.cairn.events.event;

import java.time.Instant;
import java.util.List;

/**
 * Checkpoints are gone; one event lists every checkpoint one delete removed (the checkpoint and, by flags, its
 * descendants), so a consumer never has to infer the descendants itself.
 *
 * @param checkpoints  the names of every checkpoint removed
 * @param metadataOnly true when only the metadata went and the bitmaps stayed on disk (METADATA_ONLY)
 */
public record CheckpointDeletedEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        List<String> checkpoints,
        boolean metadataOnly) implements CairnEvent {

    public static final String TYPE = "checkpoint-deleted";

    public CheckpointDeletedEvent {
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
