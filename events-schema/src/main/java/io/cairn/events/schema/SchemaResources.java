package io.cairn.events.schema;

import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.command.CheckpointCreateCommand;
import io.cairn.events.command.CheckpointDeleteCommand;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.command.RestoreEndCommand;
import io.cairn.events.command.RetentionApplyCommand;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.event.ArtifactsRegisteredEvent;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupProgressEvent;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.CheckpointBrokenEvent;
import io.cairn.events.event.LineageRetiredEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.event.RestoreCompletedEvent;
import io.cairn.events.event.RestoreExportedEvent;
import io.cairn.events.event.RestoreProgressEvent;
import io.cairn.events.event.RetentionAppliedEvent;
import io.cairn.events.event.VerifyCompletedEvent;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the JSON Schemas (2020-12) of the wire records live in this jar, so any validator can load them.
 *
 * <p>Each schema's {@code $id} is {@value #BASE_URI} plus its path below {@value #RESOURCE_DIR}; map that prefix
 * to the classpath directory and the schemas' relative {@code $ref}s resolve offline.
 */
public final class SchemaResources {
    public static final String BASE_URI = "https://cairn.io/schema/";
    public static final String RESOURCE_DIR = "io/cairn/events/schema/";
    public static final String DEFINITIONS = "definitions.schema.json";

    public static final List<String> COMMAND_TYPES = List.of(
            CheckpointCreateCommand.TYPE, CheckpointDeleteCommand.TYPE, BackupBeginCommand.TYPE,
            BackupAbortCommand.TYPE, RestoreBeginCommand.TYPE, RestoreEndCommand.TYPE, VerifyBeginCommand.TYPE,
            RetentionApplyCommand.TYPE, BackupRegisterCommand.TYPE);
    public static final List<String> EVENT_TYPES = List.of(
            CheckpointCreatedEvent.TYPE, CheckpointDeletedEvent.TYPE, CheckpointBrokenEvent.TYPE,
            LineageRetiredEvent.TYPE, BackupStartedEvent.TYPE, BackupProgressEvent.TYPE, BackupCompletedEvent.TYPE, RestoreProgressEvent.TYPE,
            RestoreExportedEvent.TYPE, RestoreCompletedEvent.TYPE, VerifyCompletedEvent.TYPE,
            RetentionAppliedEvent.TYPE, ArtifactsRegisteredEvent.TYPE, CommandRejectedEvent.TYPE);

    private SchemaResources() {
    }

    /** Path below {@link #RESOURCE_DIR} of a command's schema, e.g. {@code command/checkpoint.create.schema.json}. */
    public static String commandSchema(String commandType) {
        return "command/" + commandType + ".schema.json";
    }

    /** Path below {@link #RESOURCE_DIR} of an event's schema, e.g. {@code event/checkpoint-created.schema.json}. */
    public static String eventSchema(String eventType) {
        return "event/" + eventType + ".schema.json";
    }

    /**
     * The schema of any wire {@code type}.
     *
     * @throws IllegalArgumentException for a type Cairn does not define
     */
    public static String schemaFor(String type) {
        if (COMMAND_TYPES.contains(type)) {
            return commandSchema(type);
        }
        if (EVENT_TYPES.contains(type)) {
            return eventSchema(type);
        }
        throw new IllegalArgumentException("no schema for type '" + type + "'");
    }

    /** Every schema file, definitions first. */
    public static List<String> all() {
        Stream<String> commands = COMMAND_TYPES.stream().map(SchemaResources::commandSchema);
        Stream<String> events = EVENT_TYPES.stream().map(SchemaResources::eventSchema);
        return Stream.of(Stream.of(DEFINITIONS), commands, events).flatMap(s -> s).toList();
    }
}
