package io.cairn.backup.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A backup job row. Deliberately dumb (strings and JSON text): the rules live in the model
 * ({@link io.cairn.backup.service.job.BackupJob}) and {@link io.cairn.backup.mapping.BackupJobMapper} converts.
 */
@Entity
@Table(name = "backup_job")
public class BackupJobEntity {
    @Id
    @Column(name = "job_id", length = 64)
    public String jobId;

    @Column(nullable = false, length = 255)
    public String domain;

    @Column(name = "host_id", nullable = false, length = 200)
    public String hostId;

    @Column(name = "command_id", nullable = false, length = 256)
    public String commandId;

    @Column(nullable = false, length = 8)
    public String mode;

    @Column(nullable = false, length = 16)
    public String state;

    /** Arrival order for the admission queue, from {@code backup_job_arrival_seq}. */
    @Column(nullable = false)
    public long arrival;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String definition;

    @Column(name = "checkpoint_name", length = 255)
    public String checkpointName;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String checkpoint;

    @Column(name = "reuse_external", nullable = false)
    public boolean reuseExternal;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String disks;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String statistics;

    @Column(columnDefinition = "TEXT")
    public String error;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Column(name = "last_report_at")
    public OffsetDateTime lastReportAt;

    @Column(name = "last_report_sequence")
    public Long lastReportSequence;

    @Column(name = "abort_requested_at")
    public OffsetDateTime abortRequestedAt;

    /** The user's backup.abort command that the job's backup-completed answers. */
    @Column(name = "abort_command_id", length = 256)
    public String abortCommandId;

    @Column(name = "last_progress_at")
    public OffsetDateTime lastProgressAt;

    /** Optimistic locking: two instances applying reports to one job cannot overwrite each other. */
    @Version
    @Column(nullable = false)
    public long version;
}
