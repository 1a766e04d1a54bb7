package io.cairn.events.error;

/** An operation refused or failed with a libvirt error code, carried unchanged from the agent to the user. */
public class CairnException extends RuntimeException {
    private final VirErrorCode code;

    public CairnException(VirErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CairnException(VirErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public VirErrorCode code() {
        return code;
    }

    /** The error as the public contract carries it (in command-rejected events and REST answers). */
    public ErrorInfo toErrorInfo() {
        return ErrorInfo.of(code, getMessage());
    }
}
