package io.cairn.events.event;

import io.cairn.events.command.Command;
import io.cairn.events.command.InvalidCommandException;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * A command was refused or failed, with libvirt's error, so the sender can handle it as it would a libvirt call.
 * It is the command's one outcome, published on the events topic of the command's family.
 *
 * @param commandType the rejected command's {@code type} as sent (absent if it had none)
 * @param error       libvirt's error name and number and a human message
 */
public record CommandRejectedEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        String commandType,
        ErrorInfo error) implements CairnEvent {

    public static final String TYPE = "command-rejected";

    @Override
    public String type() {
        return TYPE;
    }

    /** The rejection of a readable command, stamped now with a fresh eventId. */
    public static CommandRejectedEvent of(Command command, CairnException error) {
        return new CommandRejectedEvent(UUID.randomUUID().toString(), Instant.now(), command.domain(),
                command.commandId(), command.type(), error.toErrorInfo());
    }

    /**
     * The rejection of a record that did not read as a valid command, stamped now.
     *
     * @param key the record's Kafka key, used as the domain when the value did not name one
     */
    public static CommandRejectedEvent of(InvalidCommandException error, String key) {
        String domain = error.domain() != null ? error.domain() : key;
        return new CommandRejectedEvent(UUID.randomUUID().toString(), Instant.now(), domain, error.commandId(),
                error.commandType(), error.toErrorInfo());
    }
}
