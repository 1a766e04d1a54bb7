package io.cairn.events.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Work a service asks of the agent of one host. The agent runs only requests whose {@link #hostId()} is its own,
 * one domain's requests in order, and answers each {@link #requestId()} once (a duplicate gets the same answer).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AddBitmapsRequest.class, name = AddBitmapsRequest.TYPE),
    @JsonSubTypes.Type(value = RemoveBitmapsRequest.class, name = RemoveBitmapsRequest.TYPE),
    @JsonSubTypes.Type(value = ValidateBitmapsRequest.class, name = ValidateBitmapsRequest.TYPE),
    @JsonSubTypes.Type(value = MeasureBitmapsRequest.class, name = MeasureBitmapsRequest.TYPE),
    @JsonSubTypes.Type(value = StartBackupRequest.class, name = StartBackupRequest.TYPE),
    @JsonSubTypes.Type(value = AbortBackupRequest.class, name = AbortBackupRequest.TYPE),
    @JsonSubTypes.Type(value = StartRestoreRequest.class, name = StartRestoreRequest.TYPE),
    @JsonSubTypes.Type(value = EndRestoreRequest.class, name = EndRestoreRequest.TYPE),
    @JsonSubTypes.Type(value = ApplyRetentionRequest.class, name = ApplyRetentionRequest.TYPE)
})
public sealed interface AgentRequest permits AddBitmapsRequest, RemoveBitmapsRequest, ValidateBitmapsRequest,
        MeasureBitmapsRequest, StartBackupRequest, AbortBackupRequest, StartRestoreRequest, EndRestoreRequest,
        ApplyRetentionRequest {

    /**
     * Kafka header with the instant (ISO-8601) after which the agent must not start the request: its caller has
     * stopped waiting by then and has answered its command without it. The agent answers a request that arrives
     * later with VIR_ERR_OPERATION_TIMEOUT and does nothing. Requests without it (undo and cleanup work, which
     * must happen whenever it arrives) never expire.
     */
    String START_BY_HEADER = "cairn-start-by";

    /** Unique per request; the agent's idempotency key. */
    String requestId();

    /** The host whose agent must run this. */
    String hostId();

    /** The domain; also the record key, so one domain's requests stay in order. */
    String domain();

    String type();
}
