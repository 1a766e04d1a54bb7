package io.cairn.events.event;

import io.cairn.events.error.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * The one outcome of a retention run (a user's retention.apply, or the run after a push backup, whose commandId is
 * {@code retention-after-<jobId>}): which restore points the policy keeps, which artifacts were merged and deleted.
 * A failed run names its error and still lists what it did before it (each change is in the catalog already).
 *
 * @param runId               the run's id ({@code GET /api/v1/retention/runs/{runId}})
 * @param hostId              the host whose agent merged and deleted the files; null when nothing had to be done
 * @param error               why the run did not finish; null on success
 * @param bytesFreed          the catalog sizes of the deleted artifacts minus what the merged ones grew by
 * @param unneededCheckpoints checkpoints that only deleted artifacts held: no kept restore point needs them, and
 *                            deleting them (checkpoint.delete; {@code cairn prune --delete-checkpoints}) lets QEMU
 *                            drop their bitmaps; Cairn leaves that to the user, since a checkpoint may serve more
 *                            than backups
 */
public record RetentionAppliedEvent(String eventId, Instant time, String domain, String commandId, String runId,
        String hostId, boolean success, ErrorInfo error, List<KeptRestorePoint> kept,
        List<MergedArtifactEntry> merged, List<PrunedArtifactEntry> deleted, long bytesFreed,
        List<UnneededCheckpoint> unneededCheckpoints) implements CairnEvent {

    public static final String TYPE = "retention-applied";

    public RetentionAppliedEvent {
        kept = kept == null ? List.of() : List.copyOf(kept);
        merged = merged == null ? List.of() : List.copyOf(merged);
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
        unneededCheckpoints = unneededCheckpoints == null ? List.of() : List.copyOf(unneededCheckpoints);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
