package io.cairn.events.event;

import io.cairn.events.model.CheckpointDefinition;
import java.time.Instant;

/**
 * A checkpoint now exists (or its metadata was redefined).
 *
 * @param checkpoint        the full definition as libvirt reports it: name, description, parent, creationTime, disks
 *                          with their bitmap names
 * @param redefined         true when REDEFINE restored metadata rather than starting new bitmaps
 * @param frozenFilesystems with QUIESCE only: how many file systems the guest agent froze around the bitmaps' start
 *                          (its answer to guest-fsfreeze-freeze; 0 if the guest had none to freeze); absent without
 *                          QUIESCE
 */
public record CheckpointCreatedEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        CheckpointDefinition checkpoint,
        boolean redefined,
        Integer frozenFilesystems) implements CairnEvent {

    public static final String TYPE = "checkpoint-created";

    /** Without QUIESCE: nothing was frozen. */
    public CheckpointCreatedEvent(String eventId, Instant time, String domain, String commandId,
            CheckpointDefinition checkpoint, boolean redefined) {
        this(eventId, time, domain, commandId, checkpoint, redefined, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
