package io.cairn.backup.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A command already applied, so a redelivered or resent command is answered with its first outcome. */
@Entity
@Table(name = "processed_command")
public class ProcessedCommand {
    @Id
    @Column(name = "command_id", length = 200)
    public String commandId;

    @Column(nullable = false, length = 200)
    public String domain;

    @Column(name = "command_type", nullable = false, length = 64)
    public String commandType;

    /** The outcome event as JSON, re-published verbatim for duplicates. */
    @Column(nullable = false, columnDefinition = "TEXT")
    public String outcome;

    @Column(name = "processed_at", nullable = false)
    public OffsetDateTime processedAt;
}
