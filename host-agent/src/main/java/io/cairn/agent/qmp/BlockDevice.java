package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One BlockBackend from query-block. With -blockdev the legacy "device" name is empty and the guest
 * device is identified by "qdev", the QOM path such as {@code /machine/peripheral/vda/virtio-backend}.
 */
public record BlockDevice(String device, String qdev, Optional<String> insertedNodeName) {

    private static final String PERIPHERAL = "/machine/peripheral/";

    static BlockDevice fromJson(JsonNode block) {
        JsonNode inserted = block.path("inserted");
        return new BlockDevice(block.path("device").asText(""), block.path("qdev").asText(""),
                QmpJson.optionalText(inserted, "node-name"));
    }

    /**
     * The qdev id the device was created with ({@code -device ...,id=vda}). Devices created with an id
     * live under /machine/peripheral/; anonymous ones (peripheral-anon) have none.
     */
    public Optional<String> deviceId() {
        if (qdev.startsWith(PERIPHERAL)) {
            String rest = qdev.substring(PERIPHERAL.length());
            int slash = rest.indexOf('/');
            return Optional.of(slash < 0 ? rest : rest.substring(0, slash));
        }
        if (!qdev.isEmpty() && !qdev.startsWith("/")) {
            return Optional.of(qdev);
        }
        return Optional.empty();
    }
}
