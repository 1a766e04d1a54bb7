package io.cairn.checkpoint.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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

    /** The row recording {@code outcome} as the one answer to {@code commandId}, processed now. */
    public static ProcessedCommand of(String commandId, String domain, String commandType, CairnEvent outcome) {
        ProcessedCommand row = new ProcessedCommand();
        row.commandId = commandId;
        row.domain = domain;
        row.commandType = commandType;
        row.processedAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            row.outcome = CairnJson.mapper().writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize outcome " + outcome.type(), e);
        }
        return row;
    }
}
