package io.cairn.backup.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.json.CairnJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The conversions every mapper of a row with JSON and time columns needs, once: contract records in wire format to
 * and from TEXT, instants to and from UTC timestamps.
 */
final class JsonColumns {
    private static final ObjectMapper JSON = CairnJson.newMapper();

    private JsonColumns() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored " + type.getSimpleName(), e);
        }
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Null stays null: an optional moment not reached yet. */
    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
