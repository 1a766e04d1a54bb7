package io.cairn.events.xml;

/** What a formatted {@code <domaincheckpoint>} includes (libvirt's VIR_DOMAIN_CHECKPOINT_FORMAT_* flags). */
public enum CheckpointFormatFlag {
    /** Keep secrets (graphics passwords) in the embedded domain. */
    SECURE,
    /** Leave the embedded {@code <domain>} out. */
    NO_DOMAIN,
    /** Include each disk's dirty-byte estimate where it is known. */
    SIZE
}
