package io.cairn.core.failure;

/**
 * Another delivery of the same commandId (another replica, or REST beside Kafka) holds the command's claim and has
 * not recorded its outcome yet: transient, since its outcome or the claim's expiry will come.
 */
public class CommandInProgress extends RuntimeException {
    private final String commandId;

    public CommandInProgress(String commandId) {
        super("command '" + commandId + "' is being applied by another delivery");
        this.commandId = commandId;
    }

    public String commandId() {
        return commandId;
    }
}
