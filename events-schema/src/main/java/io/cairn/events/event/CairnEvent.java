package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Something Cairn tells users on a public events topic; the JSON {@code type} property selects the record.
 *
 * <p>New event types may appear in later versions: {@link io.cairn.events.json.CairnJson}'s mapper reads an unknown
 * type as {@code null} so a consumer can skip it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CheckpointCreatedEvent.class, name = CheckpointCreatedEvent.TYPE),
    @JsonSubTypes.Type(value = CheckpointDeletedEvent.class, name = CheckpointDeletedEvent.TYPE),
    @JsonSubTypes.Type(value = CheckpointBrokenEvent.class, name = CheckpointBrokenEvent.TYPE),
    @JsonSubTypes.Type(value = LineageRetiredEvent.class, name = LineageRetiredEvent.TYPE),
    @JsonSubTypes.Type(value = BackupStartedEvent.class, name = BackupStartedEvent.TYPE),
    @JsonSubTypes.Type(value = BackupProgressEvent.class, name = BackupProgressEvent.TYPE),
    @JsonSubTypes.Type(value = BackupCompletedEvent.class, name = BackupCompletedEvent.TYPE),
    @JsonSubTypes.Type(value = RestoreProgressEvent.class, name = RestoreProgressEvent.TYPE),
    @JsonSubTypes.Type(value = RestoreExportedEvent.class, name = RestoreExportedEvent.TYPE),
    @JsonSubTypes.Type(value = RestoreCompletedEvent.class, name = RestoreCompletedEvent.TYPE),
    @JsonSubTypes.Type(value = VerifyCompletedEvent.class, name = VerifyCompletedEvent.TYPE),
    @JsonSubTypes.Type(value = RetentionAppliedEvent.class, name = RetentionAppliedEvent.TYPE),
    @JsonSubTypes.Type(value = ArtifactsRegisteredEvent.class, name = ArtifactsRegisteredEvent.TYPE),
    @JsonSubTypes.Type(value = CommandRejectedEvent.class, name = CommandRejectedEvent.TYPE)
})
public sealed interface CairnEvent permits CheckpointCreatedEvent, CheckpointDeletedEvent, CheckpointBrokenEvent,
        LineageRetiredEvent,
        BackupStartedEvent, BackupProgressEvent, BackupCompletedEvent, RestoreProgressEvent,
        RestoreExportedEvent, RestoreCompletedEvent, VerifyCompletedEvent, RetentionAppliedEvent,
        ArtifactsRegisteredEvent, CommandRejectedEvent {

    /** Unique per event; also the CloudEvents {@code ce_id}, so consumers can drop redeliveries. */
    String eventId();

    /** The wire {@code type}, e.g. {@code checkpoint-created}; also {@code ce_type}. */
    String type();

    /** When it happened; also {@code ce_time}. */
    Instant time();

    /** The libvirt domain; also the Kafka record key and {@code ce_subject}. */
    String domain();

    /** The command that caused the event, or null when nothing a user sent did (e.g. a bitmap found broken). */
    String commandId();

    /**
     * The event as a reader sees it who may read the domain but not act on it (a REST viewer): credentials for the
     * domain's data (a pull backup's NBD key) left out. Every other event has none and is returned as it is.
     */
    default CairnEvent withoutCredentials() {
        return this;
    }
}
