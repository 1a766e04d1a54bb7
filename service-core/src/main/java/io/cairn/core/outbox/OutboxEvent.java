package io.cairn.core.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An event committed with its state change and waiting for (or done with) its publication to Kafka. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 200)
    public String topic;

    @Column(name = "record_key", nullable = false, length = 255)
    public String recordKey;

    @Column(name = "event_id", nullable = false, length = 64)
    public String eventId;

    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    @Column(nullable = false, columnDefinition = "TEXT")
    public String payload;

    /** CloudEvents headers as a JSON object of strings. */
    @Column(nullable = false, columnDefinition = "TEXT")
    public String headers;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;

    /** Set when Kafka refused the event for good (see {@link #parkReason}); a parked event is never sent again. */
    @Column(name = "parked_at")
    public OffsetDateTime parkedAt;

    @Column(name = "park_reason", length = 1000)
    public String parkReason;
}
