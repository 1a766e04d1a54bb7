package io.cairn.backup.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A domain's retention policy as stored (V204__retention.sql); its rules live in {@code RetentionPolicy}. */
@Entity
@Table(name = "retention_policy")
public class RetentionPolicyEntity {
    @Id
    public String domain;

    @Column(name = "keep_last")
    public int keepLast;

    @Column(name = "keep_daily")
    public int keepDaily;

    @Column(name = "keep_weekly")
    public int keepWeekly;

    @Column(name = "full_every")
    public int fullEvery;

    @Column(name = "max_chain_bytes")
    public long maxChainBytes;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}
