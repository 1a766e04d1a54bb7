package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads the optional members QEMU leaves out instead of sending null (e.g. a bitmap's name, "inconsistent"). */
final class QmpJson {

    private QmpJson() {
    }

    static Optional<String> optionalText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    static String requiredText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new QmpException("QMP reply lacks \"" + field + "\": " + object);
        }
        return value.asText();
    }
}
