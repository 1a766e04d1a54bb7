package io.cairn.backup.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** A restore as stored (V202__restore_jobs.sql, exports V210); the plan, result and error are JSON of the contract's records. */
@Entity
@Table(name = "restore_job")
public class RestoreJobEntity {
    @Id
    @Column(name = "restore_id")
    public String restoreId;

    @Column(name = "command_id")
    public String commandId;

    public String domain;

    @Column(name = "host_id")
    public String hostId;

    public String checkpoint;

    public String mode;

    public String plan;

    public String state;

    @Column(name = "bytes_total")
    public long bytesTotal;

    @Column(name = "bytes_done")
    public long bytesDone;

    @Column(name = "last_sequence")
    public long lastSequence;

    public String result;

    public String verdicts;

    public String error;

    @Column(name = "requested_at")
    public OffsetDateTime requestedAt;

    @Column(name = "last_report_at")
    public OffsetDateTime lastReportAt;

    @Column(name = "progress_published_at")
    public OffsetDateTime progressPublishedAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "end_command_id")
    public String endCommandId;

    @Column(name = "end_requested_at")
    public OffsetDateTime endRequestedAt;

    /** A register's pull backup job; null for every other mode. */
    @Column(name = "job_id")
    public String jobId;

    @Version
    public long version;
}
