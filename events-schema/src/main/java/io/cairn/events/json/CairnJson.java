package io.cairn.events.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration for Cairn's wire format, so every producer writes and every consumer reads alike.
 *
 * <p>Reading is lenient on purpose: the contract only ever adds optional fields and new event types, so a
 * consumer built against an older version must ignore what it does not know rather than fail.
 */
public final class CairnJson {
    private static final ObjectMapper SHARED = configure(new ObjectMapper());

    private CairnJson() {
    }

    /** A shared, fully configured mapper; do not reconfigure it (copy it or use {@link #newMapper()} instead). */
    public static ObjectMapper mapper() {
        return SHARED;
    }

    /** A fresh mapper configured for Cairn's wire format. */
    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }

    /**
     * Applies Cairn's wire settings to an existing mapper, e.g. the one a Quarkus service injects.
     *
     * @return the same mapper, for chaining
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper
                .registerModule(new JavaTimeModule())
                // ISO-8601 text ("2026-11-25T20:33:54Z"), never epoch numbers: readable and what CloudEvents uses.
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // Forward compatibility: newer producers may add fields ...
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // ... and new event types, which read as null so a consumer can skip them.
                .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
