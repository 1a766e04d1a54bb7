package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Push (QEMU writes the targets) or pull (QEMU exports a frozen view over NBD). */
public enum BackupMode {
    PUSH("push"),
    PULL("pull");

    private final String xml;

    BackupMode(String xml) {
        this.xml = xml;
    }

    @JsonValue
    public String xml() {
        return xml;
    }

    public static BackupMode fromXml(String value) {
        for (BackupMode mode : values()) {
            if (mode.xml.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown backup mode '" + value + "'");
    }
}
