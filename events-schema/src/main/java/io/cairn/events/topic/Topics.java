package io.cairn.events.topic;

import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.command.CheckpointCreateCommand;
import io.cairn.events.command.CheckpointDeleteCommand;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.command.RestoreEndCommand;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.command.RetentionApplyCommand;

/**
 * Topic names as compile-time constants, for annotations such as {@code @Incoming}; {@code topics.json} (see
 * {@link TopicCatalogue}) is the source of truth and a test keeps the two equal.
 */
public final class Topics {
    public static final String CHECKPOINT_COMMANDS = "cairn.checkpoint.commands";
    public static final String CHECKPOINT_EVENTS = "cairn.checkpoint.events";
    public static final String BACKUP_COMMANDS = "cairn.backup.commands";
    public static final String BACKUP_EVENTS = "cairn.backup.events";

    /** One host's topics: see {@link AgentTopics}. */
    public static final String AGENT_COMMANDS = AgentTopics.PREFIX + AgentTopics.HOST_PLACEHOLDER
            + AgentTopics.COMMANDS_SUFFIX;
    public static final String AGENT_RESULTS = AgentTopics.PREFIX + AgentTopics.HOST_PLACEHOLDER
            + AgentTopics.RESULTS_SUFFIX;
    public static final String AGENT_INVENTORY = AgentTopics.PREFIX + AgentTopics.HOST_PLACEHOLDER
            + AgentTopics.INVENTORY_SUFFIX;
    public static final String CHECKPOINT_COMMANDS_DLQ = "cairn.checkpoint.commands.dlq";
    public static final String BACKUP_COMMANDS_DLQ = "cairn.backup.commands.dlq";

    private Topics() {
    }

    /** The topic a command type is sent on. */
    public static String commandsTopicFor(String commandType) {
        return switch (commandType) {
            case CheckpointCreateCommand.TYPE, CheckpointDeleteCommand.TYPE -> CHECKPOINT_COMMANDS;
            case BackupBeginCommand.TYPE, BackupAbortCommand.TYPE, RestoreBeginCommand.TYPE,
                    RestoreEndCommand.TYPE, VerifyBeginCommand.TYPE, RetentionApplyCommand.TYPE,
                    BackupRegisterCommand.TYPE -> BACKUP_COMMANDS;
            default -> throw new IllegalArgumentException("unknown command type '" + commandType + "'");
        };
    }

    /**
     * The events topic that answers a commands topic; a command's rejection goes there too.
     *
     * @param commandsTopic {@link #CHECKPOINT_COMMANDS} or {@link #BACKUP_COMMANDS}
     */
    public static String eventsTopicFor(String commandsTopic) {
        return switch (commandsTopic) {
            case CHECKPOINT_COMMANDS -> CHECKPOINT_EVENTS;
            case BACKUP_COMMANDS -> BACKUP_EVENTS;
            default -> throw new IllegalArgumentException("'" + commandsTopic + "' is not a public commands topic");
        };
    }

    /** The dead-letter topic for records of a commands topic that cannot be processed at all. */
    public static String deadLetterTopicFor(String commandsTopic) {
        return switch (commandsTopic) {
            case CHECKPOINT_COMMANDS -> CHECKPOINT_COMMANDS_DLQ;
            case BACKUP_COMMANDS -> BACKUP_COMMANDS_DLQ;
            default -> throw new IllegalArgumentException("'" + commandsTopic + "' is not a public commands topic");
        };
    }
}
