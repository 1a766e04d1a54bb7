package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Per-disk {@code backupmode}: everything, or only what changed since a checkpoint. */
public enum DiskBackupMode {
    FULL("full"),
    INCREMENTAL("incremental");

    private final String xml;

    DiskBackupMode(String xml) {
        this.xml = xml;
    }

    @JsonValue
    public String xml() {
        return xml;
    }

    public static DiskBackupMode fromXml(String value) {
        for (DiskBackupMode mode : values()) {
            if (mode.xml.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown backupmode '" + value + "'");
    }
}
