package io.cairn.events.event;

import io.cairn.events.model.CheckpointDefinition;
import java.time.Instant;

/**
 * A checkpoint now exists (or its metadata was redefined).
 *
 * @param checkpoint the full definition as libvirt reports it: name, description, parent, creationTime, disks with
 *                   their bitmap names
 * @param redefined  true when REDEFINE restored metadata rather than starting new bitmaps
 */
public record CheckpointCreatedEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        CheckpointDefinition checkpoint,
        boolean redefined) implements CairnEvent {

    public static final String TYPE = "checkpoint-created";

    @Override
    public String type() {
        return TYPE;
    }
}
