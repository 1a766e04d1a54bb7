package io.cairn.backup.service.catalog;

import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.util.Objects;

/**
 * One disk's file of a completed backup, as the catalog records it: what a restore needs to find, order and trust it.
 *
 * @param checkpoint      the checkpoint created with the backup, whose state the file holds; null when the backup
 *                        created none (the file is still a point in time, but no later incremental can start from it)
 * @param incrementalFrom the checkpoint the file holds the changes since; null for a full backup
 * @param size            the file's size in bytes as the agent read it back; null when it could not
 * @param sha256          SHA-256 of the file's bytes when the job completed; null when the agent could not read it
 * @param verifiedAt      when a verify last read it; null if none has
 * @param damage          what that verify found wrong with it (missing, changed); null when intact or never verified
 */
public record Artifact(String jobId, String domain, String hostId, String disk, String checkpoint,
        String incrementalFrom, BackupMode mode, String path, String format, Long size, String sha256,
        Instant completedAt, Instant verifiedAt, String damage) {

    public Artifact {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    /** An artifact no verify has looked at yet. */
    public Artifact(String jobId, String domain, String hostId, String disk, String checkpoint,
            String incrementalFrom, BackupMode mode, String path, String format, Long size, String sha256,
            Instant completedAt) {
        this(jobId, domain, hostId, disk, checkpoint, incrementalFrom, mode, path, format, size, sha256, completedAt,
                null, null);
    }

    /** Whether the last verify found it missing or changed. */
    public boolean isDamaged() {
        return damage != null;
    }

    /** Its key in the catalog: a job writes one file per disk. */
    public String id() {
        return jobId + "/" + disk;
    }

    public boolean isFull() {
        return incrementalFrom == null;
    }

    /** Whether this file holds {@code disk} as it was at {@code checkpoint}: a link an incremental from it needs. */
    public boolean captures(String disk, String checkpoint) {
        return this.disk.equals(disk) && Objects.equals(this.checkpoint, checkpoint);
    }
}
