package io.cairn.checkpoint.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One stored checkpoint of one domain. The JSONB columns hold objects ({"disks": [...]}) because Hibernate Reactive
 * binds JSON as a Vert.x JsonObject; the array inside keeps libvirt's disk order (JSONB does not keep key order).
 */
@Entity
@Table(name = "checkpoint")
public class CheckpointEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 255)
    public String domain;

    @Column(nullable = false, length = 255)
    public String name;

    @Column(name = "parent_name", length = 255)
    public String parentName;

    @Column(name = "creation_time", nullable = false)
    public long creationTime;

    @Column(columnDefinition = "TEXT")
    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String disks;

    @Column(name = "domain_xml", columnDefinition = "TEXT")
    public String domainXml;

    @Column(nullable = false, length = 16)
    public String health;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "broken_disks", columnDefinition = "jsonb")
    public String brokenDisks;

    @Column(name = "created_by_command", length = 256)
    public String createdByCommand;

    @Version
    @Column(nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
