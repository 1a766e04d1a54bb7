package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a restore gives a disk back: a new standalone image written from the chain ({@code copy}), or a small qcow2
 * overlay whose backing is the chain of artifacts itself ({@code thin}: ready at once, but it needs the artifacts to
 * stay where they are). A verify (backup.verify) runs as a restore that only checks the artifacts.
 */
public enum RestoreMode {
    COPY("copy"),
    THIN("thin"),
    /** Only read the artifacts and check them against their checksums (backup.verify); writes nothing. */
    VERIFY("verify"),
    /**
     * Instant restore: each disk's chain served read-only over NBD (TLS-PSK) until restore.end or its time-to-live;
     * writes nothing, so a VM can attach or boot the restore point at once.
     */
    EXPORT("export"),
    /**
     * Only read a pull backup's outputs (backup.register): check each is a file of its declared format in the
     * domain's directory and compute its size and SHA-256 for the catalog; writes nothing.
     */
    REGISTER("register");

    private final String wire;

    RestoreMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static RestoreMode fromWire(String value) {
        for (RestoreMode mode : values()) {
            if (mode.wire.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown restore mode '" + value
                + "' (copy, thin, export, verify or register)");
    }
}
