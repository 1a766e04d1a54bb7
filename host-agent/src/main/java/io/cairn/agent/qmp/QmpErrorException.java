package io.cairn.agent.qmp;

/**
 * QEMU answered a command with {@code {"error":{"class":..,"desc":..}}}. Almost every QEMU error is
 * class GenericError, so callers that need to tell errors apart have to match on {@link #desc()}.
 */
public class QmpErrorException extends QmpException {

    private final String command;
    private final String errorClass;
    private final String desc;

    public QmpErrorException(String command, String errorClass, String desc) {
        super(command + " failed: " + errorClass + ": " + desc);
        this.command = command;
        this.errorClass = errorClass;
        this.desc = desc;
    }

    public String command() {
        return command;
    }

    /** QEMU's QapiErrorClass name, e.g. GenericError, DeviceNotActive. */
    public String errorClass() {
        return errorClass;
    }

    public String desc() {
        return desc;
    }
}
