package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns a QMP error reply into the typed exception for its error class. */
final class QmpErrors {

    private QmpErrors() {
    }

    static QmpErrorException fromReply(String command, JsonNode error) {
        String errorClass = error.path("class").asText("GenericError");
        String desc = error.path("desc").asText("");
        return switch (errorClass) {
            case "DeviceNotActive" -> new DeviceNotActiveException(command, desc);
            case "DeviceNotFound" -> new DeviceNotFoundException(command, desc);
            case "CommandNotFound" -> new CommandNotFoundException(command, desc);
            default -> new QmpErrorException(command, errorClass, desc);
        };
    }
}
