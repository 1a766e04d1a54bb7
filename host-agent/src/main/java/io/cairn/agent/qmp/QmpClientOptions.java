package io.cairn.agent.qmp;

import java.time.Duration;

/**
 * Limits of one QMP connection: the default timeout per command, the one for connect + negotiation, and the
 * longest line (one JSON message) the client buffers before it gives up on the peer.
 */
public record QmpClientOptions(Duration commandTimeout, Duration handshakeTimeout, int maxLineBytes) {

    /** Far above any reply the agent asks QEMU for, far below a memory problem for one connection per VM. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

    public static final QmpClientOptions DEFAULTS = new QmpClientOptions(Duration.ofSeconds(30), Duration.ofSeconds(10));

    public QmpClientOptions {
        if (commandTimeout.isNegative() || commandTimeout.isZero() || handshakeTimeout.isNegative()
                || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
    }

    public QmpClientOptions(Duration commandTimeout, Duration handshakeTimeout) {
        this(commandTimeout, handshakeTimeout, DEFAULT_MAX_LINE_BYTES);
    }

    public QmpClientOptions withCommandTimeout(Duration timeout) {
        return new QmpClientOptions(timeout, handshakeTimeout, maxLineBytes);
    }

    public QmpClientOptions withMaxLineBytes(int bytes) {
        return new QmpClientOptions(commandTimeout, handshakeTimeout, bytes);
    }
}
