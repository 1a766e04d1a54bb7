package io.cairn.events.cloudevents;

import io.cairn.events.event.CairnEvent;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the Kafka headers of the CloudEvents Kafka protocol binding (binary mode) for a Cairn event, as plain
 * name/bytes pairs, so this library needs no Kafka dependency: a producer adds each entry to its record's headers.
 */
public final class CloudEventHeaders {
    public static final String SPECVERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    /** In binary mode the data's media type travels in the plain Kafka header, not in a ce_ one. */
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    /** {@code ce_source} of events the checkpoint service publishes. */
    public static final String CHECKPOINT_SERVICE_SOURCE = "/cairn/checkpoint-service";
    /** {@code ce_source} of events the backup service publishes. */
    public static final String BACKUP_SERVICE_SOURCE = "/cairn/backup-service";

    private CloudEventHeaders() {
    }

    /**
     * The headers for an event, in a stable order.
     *
     * @param source the producing service's URI-reference, e.g. {@link #CHECKPOINT_SERVICE_SOURCE}
     */
    public static Map<String, byte[]> forEvent(CairnEvent event, String source) {
        Objects.requireNonNull(source, "source");
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(SPECVERSION, bytes(SPEC_VERSION_1_0));
        headers.put(ID, bytes(event.eventId()));
        headers.put(TYPE, bytes(event.type()));
        headers.put(SOURCE, bytes(source));
        headers.put(SUBJECT, bytes(event.domain()));
        headers.put(TIME, bytes(DateTimeFormatter.ISO_INSTANT.format(event.time())));
        headers.put(CONTENT_TYPE, bytes(JSON));
        return Collections.unmodifiableMap(headers);
    }

    private static byte[] bytes(String value) {
        return Objects.requireNonNull(value, "CloudEvents attribute").getBytes(StandardCharsets.UTF_8);
    }
}
