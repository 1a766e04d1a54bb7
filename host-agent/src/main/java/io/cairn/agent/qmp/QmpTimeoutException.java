package io.cairn.agent.qmp;

import java.time.Duration;

/**
 * No reply within the command's timeout. QEMU may still run the command and reply later (the late
 * reply is dropped), so the caller must treat the command's effect as unknown, not as failed.
 */
public final class QmpTimeoutException extends QmpException {

    private final String command;
    private final Duration timeout;

    public QmpTimeoutException(String command, Duration timeout) {
        super(command + ": no reply within " + timeout.toMillis() + " ms");
        this.command = command;
        this.timeout = timeout;
    }

    public String command() {
        return command;
    }

    public Duration timeout() {
        return timeout;
    }
}
