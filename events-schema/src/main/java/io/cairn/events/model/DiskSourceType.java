package io.cairn.events.model;

/** How a domain disk's source is reached; alignment may only invent backup file names for {@code FILE} sources. */
public enum DiskSourceType {
    FILE,
    BLOCK,
    NETWORK,
    VOLUME,
    DIR
}
