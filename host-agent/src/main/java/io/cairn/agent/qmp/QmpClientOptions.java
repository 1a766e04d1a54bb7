package io.cairn.agent.qmp;

import java.time.Duration;

/** Timeouts of one QMP connection: the default per command and the one for connect + negotiation. */
public record QmpClientOptions(Duration commandTimeout, Duration handshakeTimeout) {

    public static final QmpClientOptions DEFAULTS = new QmpClientOptions(Duration.ofSeconds(30), Duration.ofSeconds(10));

    public QmpClientOptions {
        if (commandTimeout.isNegative() || commandTimeout.isZero() || handshakeTimeout.isNegative()
                || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public QmpClientOptions withCommandTimeout(Duration timeout) {
        return new QmpClientOptions(timeout, handshakeTimeout);
    }
}
