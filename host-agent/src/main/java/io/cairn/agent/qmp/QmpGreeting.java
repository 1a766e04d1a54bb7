package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The banner QEMU sends on connect, before capabilities negotiation: version and offered capabilities. */
public record QmpGreeting(QemuVersion version, List<String> capabilities) {

    public QmpGreeting {
        capabilities = List.copyOf(capabilities);
    }

    static QmpGreeting fromJson(JsonNode message) {
        JsonNode qmp = message.path("QMP");
        List<String> capabilities = new ArrayList<>();
        qmp.path("capabilities").forEach(capability -> capabilities.add(capability.asText()));
        return new QmpGreeting(QemuVersion.fromJson(qmp.path("version")), capabilities);
    }
}
