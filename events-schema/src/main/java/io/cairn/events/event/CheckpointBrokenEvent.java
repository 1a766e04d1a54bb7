package io.cairn.events.event;

import java.time.Instant;
import java.util.List;

/**
 * A checkpoint can no longer be used as an incremental base because a bitmap is missing or inconsistent;
 * the next backup from it must be full (or the checkpoint deleted and a new one created).
 *
 * @param checkpoint the checkpoint's name
 * @param disks      every disk whose bitmap is unusable
 */
public record CheckpointBrokenEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        String checkpoint,
        List<BrokenBitmap> disks) implements CairnEvent {

    public static final String TYPE = "checkpoint-broken";

    public CheckpointBrokenEvent {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
