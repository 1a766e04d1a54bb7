package io.cairn.events.xml;

/** How a {@code <domaincheckpoint>} document is read (libvirt's VIR_DOMAIN_CHECKPOINT_PARSE_* flags). */
public enum CheckpointParseFlag {
    /** Re-insert existing metadata: name and creationTime are required, parent and domain are read. */
    REDEFINE
}
