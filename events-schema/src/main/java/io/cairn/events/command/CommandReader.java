package io.cairn.events.command;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.util.Objects;

/**
 * Turns a commands-topic record into a valid {@link Command}, or into an {@link InvalidCommandException} that still
 * carries the commandId and type, because a rejection must reach the sender under its own commandId.
 *
 * <p>Commands are read strictly, unlike events: a property the command's type does not define is refused, since
 * ignoring a misspelt one would run a different command than the sender meant.
 */
public final class CommandReader {
    private final ObjectMapper mapper;
    private final ObjectReader commands;

    public CommandReader() {
        this(CairnJson.mapper());
    }

    public CommandReader(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper);
        this.commands = strict(mapper.readerFor(Command.class));
    }

    /**
     * Reads and validates a record value whose Kafka key is {@code key}.
     *
     * @param key   the record key; must equal the command's domain, since the key decides ordering per domain
     * @param value the record value, UTF-8 JSON
     * @throws InvalidCommandException when the value is not a valid command
     */
    public Command read(String key, byte[] value) {
        JsonNode tree = parse(value);
        String commandId = text(tree, "commandId");
        String type = text(tree, "type");
        String domain = text(tree, "domain");
        try {
            CommandLimits.requireCommandSize(value.length);
        } catch (CairnException e) {
            throw invalid(e.code(), e.getMessage(), commandId, type, domain);
        }
        Command command;
        try {
            command = commands.readValue(tree);
        } catch (UnrecognizedPropertyException e) {
            throw invalid(VirErrorCode.VIR_ERR_INVALID_ARG, UnknownFields.message(type + " command", e),
                    commandId, type, domain);
        } catch (IOException | IllegalArgumentException e) {
            throw invalid(VirErrorCode.VIR_ERR_INVALID_ARG, "malformed " + type + " command: " + rootMessage(e),
                    commandId, type, domain);
        }
        if (command == null) {
            throw invalid(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "unknown command type '" + type + "'",
                    commandId, type, domain);
        }
        try {
            command.validate();
        } catch (CairnException e) {
            throw invalid(e.code(), e.getMessage(), commandId, type, domain);
        }
        if (key != null && !key.equals(domain)) {
            throw invalid(VirErrorCode.VIR_ERR_INVALID_ARG,
                    "record key '" + key + "' differs from domain '" + domain + "'", commandId, type, domain);
        }
        return command;
    }

    /**
     * Reads a part of a command that arrives apart from a record (a REST request's JSON body) as strictly as a whole
     * command: within the command size limit, and without properties its type does not define.
     *
     * @param what what the JSON is, for messages ("request body")
     * @return null for an absent or blank body
     * @throws CairnException VIR_ERR_INVALID_ARG
     */
    public <T> T readPart(String what, String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            return null;
        }
        CommandLimits.requireField(what, json, CommandLimits.MAX_COMMAND_BYTES);
        try {
            return strict(mapper.readerFor(type)).readValue(json);
        } catch (UnrecognizedPropertyException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, UnknownFields.message(what, e));
        } catch (IOException | IllegalArgumentException e) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "malformed " + what + ": " + rootMessage(e));
        }
    }

    /** The mapper stays lenient for events and agent records, which must tolerate fields added later. */
    private static ObjectReader strict(ObjectReader reader) {
        return reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private JsonNode parse(byte[] value) {
        JsonNode tree;
        try {
            tree = value == null ? null : mapper.readTree(value);
        } catch (IOException e) {
            throw invalid(VirErrorCode.VIR_ERR_INVALID_ARG, "record value is not JSON: " + rootMessage(e),
                    null, null, null);
        }
        if (tree == null || !tree.isObject()) {
            throw invalid(VirErrorCode.VIR_ERR_INVALID_ARG, "record value is not a JSON object", null, null, null);
        }
        return tree;
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static InvalidCommandException invalid(VirErrorCode code, String message, String commandId,
            String type, String domain) {
        return new InvalidCommandException(code, message, commandId, type, domain);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        // Jackson's messages end in a source excerpt that only repeats the input; the first line is the reason.
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
