package io.cairn.agent.qmp;

/** The monitor connection ended (QEMU exited or crashed, or the client was closed) before a reply arrived. */
public final class QmpConnectionLostException extends QmpException {

    public QmpConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
