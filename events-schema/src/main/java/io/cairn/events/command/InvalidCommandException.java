package io.cairn.events.command;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/**
 * A command record Cairn cannot act on, with whatever identity could still be read from it, so the rejection
 * event can name the commandId and type the sender used.
 */
public class InvalidCommandException extends CairnException {
    private final String commandId;
    private final String commandType;
    private final String domain;

    public InvalidCommandException(VirErrorCode code, String message, String commandId, String commandType,
            String domain) {
        super(code, message);
        this.commandId = commandId;
        this.commandType = commandType;
        this.domain = domain;
    }

    /** The sender's commandId, or null if the record had none. */
    public String commandId() {
        return commandId;
    }

    /** The sender's {@code type}, or null if the record had none. */
    public String commandType() {
        return commandType;
    }

    /** The domain from the record, or null if it had none. */
    public String domain() {
        return domain;
    }
}
