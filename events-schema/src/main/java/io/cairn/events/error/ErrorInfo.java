package io.cairn.events.error;

/** A libvirt-style error as it appears on the wire: name, number and a human message. */
public record ErrorInfo(String code, int number, String message) {
    public static ErrorInfo of(VirErrorCode code, String message) {
        return new ErrorInfo(code.name(), code.number(), message);
    }
}
