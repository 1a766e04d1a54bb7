package io.cairn.core.command;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A command claimed by one delivery and, once answered, its one outcome: a redelivered or resent command is
 * answered with that outcome, and a concurrent delivery of the same commandId waits instead of acting twice.
 */
@Entity
@Table(name = "processed_command")
public class ProcessedCommand {
    @Id
    @Column(name = "command_id", length = 256)
    public String commandId;

    @Column(nullable = false, length = 255)
    public String domain;

    @Column(name = "command_type", nullable = false, length = 64)
    public String commandType;

    /** The outcome event as JSON, re-published verbatim for duplicates; null while the command is in progress. */
    @Column(columnDefinition = "TEXT")
    public String outcome;

    /** When it was claimed, or answered once it has an outcome. */
    @Column(name = "processed_at", nullable = false)
    public OffsetDateTime processedAt;

    /** The delivery that holds the claim while there is no outcome. */
    @Column(name = "claim_token", length = 64)
    public String claimToken;
}
