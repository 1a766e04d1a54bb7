package io.cairn.events.event;

import java.time.Instant;

/**
 * A checkpoint that only artifacts a retention run deleted held: no kept restore point needs it. Names can be used
 * again after a delete, so delete it only if the domain's checkpoint of that name was created no later than
 * {@code lastCapturedAt} (a later one is a newer checkpoint of the same name).
 *
 * @param lastCapturedAt when the newest deleted artifact holding it completed
 */
public record UnneededCheckpoint(String checkpoint, Instant lastCapturedAt) {
}
