package io.cairn.agent.qmp;

/** Root of every failure the QMP client reports, so callers can catch QMP problems as one family. */
public class QmpException extends RuntimeException {

    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
