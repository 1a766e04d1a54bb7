package io.cairn.checkpoint.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** A domain's lineage head: its current checkpoint, and the row its writers lock to apply changes one at a time. */
@Entity
@Table(name = "checkpoint_domain")
public class DomainLineageEntity {
    @Id
    @Column(length = 255)
    public String domain;

    /** The current checkpoint's name, or null when the domain has none. */
    @Column(name = "current_checkpoint", length = 255)
    public String currentCheckpoint;

    /** The UUID of the VM this lineage belongs to; null until the domain is seen with one. */
    @Column(length = 36)
    public String uuid;

    @Version
    @Column(nullable = false)
    public long version;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
