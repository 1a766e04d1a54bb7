package io.cairn.events.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.util.Objects;

/**
 * Turns a commands-topic record into a valid {@link Command}, or into an {@link InvalidCommandException} that still
 * carries the commandId and type, because a rejection must reach the sender under its own commandId.
 */
public final class CommandReader {
    private final ObjectMapper mapper;

    public CommandReader() {
        this(CairnJson.mapper());
    }

    public CommandReader(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper);
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
        Command command;
        try {
            command = mapper.treeToValue(tree, Command.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
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
