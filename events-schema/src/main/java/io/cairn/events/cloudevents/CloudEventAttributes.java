package io.cairn.events.cloudevents;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The CloudEvents attributes read back from a record's headers, so a consumer can route or drop duplicates on
 * {@code ce_type} and {@code ce_id} without parsing the value.
 *
 * @param specversion {@code 1.0}
 * @param id          the event's eventId
 * @param type        the event's type, e.g. {@code checkpoint-created}
 * @param source      the producing service, e.g. {@code /cairn/checkpoint-service}
 * @param subject     the domain
 * @param time        when it happened
 * @param contentType {@code application/json}
 */
public record CloudEventAttributes(
        String specversion, String id, String type, String source, String subject, Instant time, String contentType) {

    /**
     * Reads the attributes from headers given as name to bytes (e.g. collected from Kafka's {@code Headers}).
     *
     * @throws IllegalArgumentException when a required attribute is missing, so a record that is not a
     *                                  CloudEvent is noticed rather than half read
     */
    public static CloudEventAttributes from(Map<String, byte[]> headers) {
        String time = optional(headers, CloudEventHeaders.TIME);
        return new CloudEventAttributes(
                required(headers, CloudEventHeaders.SPECVERSION),
                required(headers, CloudEventHeaders.ID),
                required(headers, CloudEventHeaders.TYPE),
                required(headers, CloudEventHeaders.SOURCE),
                optional(headers, CloudEventHeaders.SUBJECT),
                time == null ? null : Instant.parse(time),
                optional(headers, CloudEventHeaders.CONTENT_TYPE));
    }

    private static String required(Map<String, byte[]> headers, String name) {
        String value = optional(headers, name);
        if (value == null) {
            throw new IllegalArgumentException("missing CloudEvents header " + name);
        }
        return value;
    }

    private static String optional(Map<String, byte[]> headers, String name) {
        byte[] value = headers.get(name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
