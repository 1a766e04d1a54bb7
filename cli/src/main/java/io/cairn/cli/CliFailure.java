package io.cairn.cli;

/** A failure the command line reports as virsh does, {@code error: NAME (NUMBER): message}, with its exit code. */
public final class CliFailure extends RuntimeException {
    private final String code;
    private final int number;
    private final int exitCode;

    public CliFailure(String code, int number, String message, int exitCode) {
        super(message);
        this.code = code;
        this.number = number;
        this.exitCode = exitCode;
    }

    /** An error Cairn answered (a libvirt error): exit 1, or 3 when it refused the credentials. */
    public static CliFailure fromCairn(String code, int number, String message) {
        return new CliFailure(code, number, message,
                "VIR_ERR_AUTH_FAILED".equals(code) ? ExitCodes.UNREACHABLE_OR_AUTH : ExitCodes.CAIRN_ERROR);
    }

    /** No usable credentials on this side (no token, an unsafe config file): Cairn was never asked. */
    public static CliFailure auth(String message) {
        return new CliFailure("VIR_ERR_AUTH_FAILED", 45, message, ExitCodes.UNREACHABLE_OR_AUTH);
    }

    /** The service did not answer at all. */
    public static CliFailure unreachable(String message) {
        return new CliFailure("VIR_ERR_NO_CONNECT", 5, message, ExitCodes.UNREACHABLE_OR_AUTH);
    }

    public String code() {
        return code;
    }

    public int number() {
        return number;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The line virsh would print on stderr. */
    public String line() {
        return "error: " + code + " (" + number + "): " + getMessage();
    }
}
