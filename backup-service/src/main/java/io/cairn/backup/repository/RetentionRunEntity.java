package io.cairn.backup.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** A retention run as stored (V204__retention.sql); work, merged, deleted and error are JSON. */
@Entity
@Table(name = "retention_run")
public class RetentionRunEntity {
    @Id
    @Column(name = "run_id")
    public String runId;

    @Column(name = "command_id")
    public String commandId;

    public String domain;

    @Column(name = "host_id")
    public String hostId;

    public String state;

    public String work;

    public String merged;

    public String deleted;

    public String error;

    @Column(name = "last_sequence")
    public long lastSequence;

    @Column(name = "requested_at")
    public OffsetDateTime requestedAt;

    @Column(name = "last_report_at")
    public OffsetDateTime lastReportAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Version
    public long version;
}
