package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a disk takes part in a checkpoint ({@code checkpoint='bitmap'|'no'} in libvirt's XML). */
public enum CheckpointDiskMode {
    BITMAP("bitmap"),
    NO("no");

    private final String xml;

    CheckpointDiskMode(String xml) {
        this.xml = xml;
    }

    @JsonValue
    public String xml() {
        return xml;
    }

    public static CheckpointDiskMode fromXml(String value) {
        for (CheckpointDiskMode mode : values()) {
            if (mode.xml.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown checkpoint disk mode '" + value + "'");
    }
}
