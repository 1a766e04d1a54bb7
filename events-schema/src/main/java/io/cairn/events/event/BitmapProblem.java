package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a checkpoint's bitmap can no longer serve as an incremental base. */
public enum BitmapProblem {
    /** The disk image has no bitmap of that name (e.g. the image was replaced or copied without bitmaps). */
    MISSING("missing"),
    /** QEMU marks the bitmap inconsistent (e.g. the VM crashed while it was in use). */
    INCONSISTENT("inconsistent");

    private final String wire;

    BitmapProblem(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
