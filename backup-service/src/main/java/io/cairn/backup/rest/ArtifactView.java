package io.cairn.backup.rest;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.DiskBackupMode;
import java.time.Instant;

/**
 * A catalog entry as REST shows it. {@code incrementalFrom} is null for a full backup (always written out, so a
 * client can tell "full" from "unknown"); {@code sha256} covers the file's bytes when the job completed;
 * {@code verifiedAt} and {@code damage} are what the last verify found (null damage: intact, or never verified).
 */
public record ArtifactView(String artifactId, String jobId, String hostId, String disk, String checkpoint,
        DiskBackupMode backupMode, String incrementalFrom, BackupMode mode, String path, String format, Long size,
        String sha256, String writtenBy, Instant completedAt, Instant verifiedAt, String damage) {

    /** Who wrote a push artifact: the host agent (through QEMU); pull outputs are not in the catalog. */
    static final String AGENT = "agent";

    static ArtifactView of(Artifact artifact) {
        return new ArtifactView(artifact.id(), artifact.jobId(), artifact.hostId(), artifact.disk(),
                artifact.checkpoint(), artifact.isFull() ? DiskBackupMode.FULL : DiskBackupMode.INCREMENTAL,
                artifact.incrementalFrom(), artifact.mode(), artifact.path(), artifact.format(), artifact.size(),
                artifact.sha256(), AGENT, artifact.completedAt(), artifact.verifiedAt(), artifact.damage());
    }
}
