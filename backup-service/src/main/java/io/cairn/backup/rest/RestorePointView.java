package io.cairn.backup.rest;

import io.cairn.backup.service.catalog.DiskRestore;
import io.cairn.backup.service.catalog.RestorePoint;
import java.time.Instant;
import java.util.List;

/**
 * A restore point as REST shows it: per disk, the artifacts to stack from the full backup up (in that order), and
 * when a link is missing, {@code complete: false} with the reason naming the checkpoint and disk.
 */
public record RestorePointView(String checkpoint, String jobId, Instant time, boolean complete, List<String> problems,
        List<Disk> disks) {

    /** One disk's chain; {@code missing} says why it is incomplete, null when complete. */
    public record Disk(String disk, boolean complete, String missing, List<ArtifactView> chain) {
        static Disk of(DiskRestore restore) {
            return new Disk(restore.disk(), restore.complete(), restore.missing(),
                    restore.chain().stream().map(ArtifactView::of).toList());
        }
    }

    static RestorePointView of(RestorePoint point) {
        return new RestorePointView(point.checkpoint(), point.jobId(), point.time(), point.complete(),
                point.problems(), point.disks().stream().map(Disk::of).toList());
    }
}
