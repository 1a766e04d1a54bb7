package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;

/** An asynchronous QMP event such as JOB_STATUS_CHANGE, with QEMU's own timestamp. */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {

    static QmpEvent fromJson(JsonNode message) {
        JsonNode stamp = message.path("timestamp");
        Instant timestamp = Instant.ofEpochSecond(stamp.path("seconds").asLong(), stamp.path("microseconds").asLong() * 1000);
        JsonNode data = message.has("data") ? message.get("data") : NullNode.getInstance();
        return new QmpEvent(message.path("event").asText(), data, timestamp);
    }

    /** A string member of data, or null; e.g. {@code "id"} and {@code "status"} of JOB_STATUS_CHANGE. */
    public String dataText(String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
