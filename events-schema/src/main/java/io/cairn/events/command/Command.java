package io.cairn.events.command;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A request a user sends to Cairn on a public commands topic; the JSON {@code type} property selects the record.
 *
 * <p>{@link #commandId()} is the idempotency key: Cairn applies a commandId once and answers it with one outcome,
 * however often it is delivered.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CheckpointCreateCommand.class, name = CheckpointCreateCommand.TYPE),
    @JsonSubTypes.Type(value = CheckpointDeleteCommand.class, name = CheckpointDeleteCommand.TYPE),
    @JsonSubTypes.Type(value = BackupBeginCommand.class, name = BackupBeginCommand.TYPE),
    @JsonSubTypes.Type(value = BackupAbortCommand.class, name = BackupAbortCommand.TYPE),
    @JsonSubTypes.Type(value = RestoreBeginCommand.class, name = RestoreBeginCommand.TYPE),
    @JsonSubTypes.Type(value = RestoreEndCommand.class, name = RestoreEndCommand.TYPE),
    @JsonSubTypes.Type(value = VerifyBeginCommand.class, name = VerifyBeginCommand.TYPE),
    @JsonSubTypes.Type(value = RetentionApplyCommand.class, name = RetentionApplyCommand.TYPE),
    @JsonSubTypes.Type(value = BackupRegisterCommand.class, name = BackupRegisterCommand.TYPE)
})
public sealed interface Command
        permits CheckpointCreateCommand, CheckpointDeleteCommand, BackupBeginCommand, BackupAbortCommand,
        RestoreBeginCommand, RestoreEndCommand, VerifyBeginCommand, RetentionApplyCommand,
        BackupRegisterCommand {

    /** Chosen by the sender; the same commandId twice has one effect and one outcome. */
    String commandId();

    /** The libvirt domain the command is for; also the Kafka record key. */
    String domain();

    /** The wire {@code type}, e.g. {@code checkpoint.create}. */
    String type();

    /**
     * Checks what can be checked without the domain at hand (shapes, flag combinations libvirt refuses).
     *
     * @throws io.cairn.events.error.CairnException with {@code VIR_ERR_INVALID_ARG}
     */
    void validate();
}
