package io.cairn.events.topic;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether users may rely on a topic (public contract) or only Cairn's own services use it (internal). */
public enum Visibility {
    PUBLIC("public"),
    INTERNAL("internal");

    private final String wire;

    Visibility(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
