package io.cairn.backup.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A catalog row: one disk's file of one completed backup (plain values; the catalog's rules live in the model). */
@Entity
@Table(name = "backup_artifact")
public class BackupArtifactEntity {
    /** {@code <jobId>/<disk>}: a job writes one file per disk. */
    @Id
    @Column(name = "artifact_id", length = 300)
    public String artifactId;

    @Column(name = "job_id", nullable = false, length = 64)
    public String jobId;

    @Column(nullable = false, length = 255)
    public String domain;

    @Column(name = "host_id", nullable = false, length = 200)
    public String hostId;

    @Column(nullable = false, length = 200)
    public String disk;

    @Column(length = 255)
    public String checkpoint;

    @Column(name = "incremental_from", length = 255)
    public String incrementalFrom;

    @Column(nullable = false, length = 8)
    public String mode;

    @Column(nullable = false, columnDefinition = "TEXT")
    public String path;

    @Column(nullable = false, length = 32)
    public String format;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(length = 64)
    public String sha256;

    @Column(name = "completed_at", nullable = false)
    public OffsetDateTime completedAt;

    @Column(name = "verified_at")
    public OffsetDateTime verifiedAt;

    @Column(columnDefinition = "TEXT")
    public String damage;

    /** When a retention run deleted its file; null while it is in the catalog. */
    @Column(name = "pruned_at")
    public OffsetDateTime prunedAt;

    @Column(name = "pruned_by", length = 64)
    public String prunedBy;
}
