package io.cairn.events.command;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.util.regex.Pattern;

/**
 * The shapes of the identifiers on the wire, kept equal to the JSON Schemas' patterns so a record that passes
 * {@link Command#validate()} also passes the schema, and a REST layer can check path parameters the same way.
 */
public final class Identifiers {
    /** A domain name Cairn manages: also the Kafka key, so kept to characters safe in keys, paths and file names. */
    public static final String DOMAIN_NAME_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.:+@-]{0,254}$";
    /** libvirt's checkpoint name shape; the name also becomes the QEMU bitmap name by default. */
    public static final String CHECKPOINT_NAME_PATTERN = "^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}$";
    /** Any printable text without blanks: UUIDs, ULIDs, "order-42/attempt-1" all fit. */
    public static final String COMMAND_ID_PATTERN = "^[!-~]{1,256}$";

    /** How much of a refused value a message repeats: enough to recognise it, never enough to bloat an event. */
    static final int SHOWN_CHARS = 300;

    private static final Pattern DOMAIN_NAME = Pattern.compile(DOMAIN_NAME_PATTERN);
    private static final Pattern CHECKPOINT_NAME = Pattern.compile(CHECKPOINT_NAME_PATTERN);
    private static final Pattern COMMAND_ID = Pattern.compile(COMMAND_ID_PATTERN);

    private Identifiers() {
    }

    public static boolean isDomainName(String value) {
        return value != null && DOMAIN_NAME.matcher(value).matches();
    }

    public static boolean isCheckpointName(String value) {
        return value != null && CHECKPOINT_NAME.matcher(value).matches();
    }

    public static boolean isCommandId(String value) {
        return value != null && COMMAND_ID.matcher(value).matches();
    }

    public static void requireDomainName(String value) {
        require(isDomainName(value), "domain name '" + shown(value) + "' does not match " + DOMAIN_NAME_PATTERN);
    }

    public static void requireCheckpointName(String field, String value) {
        require(isCheckpointName(value), field + " '" + shown(value) + "' does not match " + CHECKPOINT_NAME_PATTERN);
    }

    public static void requireCommandId(String value) {
        require(isCommandId(value),
                "commandId '" + shown(value) + "' must be 1 to 256 printable characters without blanks");
    }

    /** The checks every command shares. */
    static void requireCommon(Command command) {
        requireCommandId(command.commandId());
        requireDomainName(command.domain());
    }

    /** A refused value as a message repeats it: cut short, since the message travels in a command-rejected event. */
    static String shown(String value) {
        if (value == null || value.length() <= SHOWN_CHARS) {
            return value;
        }
        return value.substring(0, SHOWN_CHARS) + "... (" + value.length() + " characters)";
    }

    /** Throws the error libvirt itself answers for a bad argument. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, message);
        }
    }
}
