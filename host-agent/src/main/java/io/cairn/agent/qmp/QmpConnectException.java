package io.cairn.agent.qmp;

/** The client could not open the monitor socket or complete the greeting and capabilities negotiation. */
public final class QmpConnectException extends QmpException {

    public QmpConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
