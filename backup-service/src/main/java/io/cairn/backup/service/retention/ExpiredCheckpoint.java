package io.cairn.backup.service.retention;

import java.time.Instant;

/**
 * A checkpoint that no artifact left after pruning holds, so no later incremental from it could be stacked on
 * anything: a candidate for deletion. Only a candidate, since names can be reused: delete it only if the
 * domain's checkpoint of that name was created no later than {@code lastCapturedAt} (otherwise it is a newer one).
 *
 * @param lastCapturedAt when the newest deleted artifact holding it completed
 */
public record ExpiredCheckpoint(String checkpoint, Instant lastCapturedAt) {
}
