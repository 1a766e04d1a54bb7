package io.cairn.cli;

/** The exit codes of every verb, one place, as the README documents them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Cairn answered with a libvirt error (unknown domain, access denied, a failed backup...). */
    public static final int CAIRN_ERROR = 1;
    /** The command line itself was wrong (picocli's usage error). */
    public static final int USAGE = 2;
    /** Cairn could not be reached, or not as an authenticated caller (no, bad or unsafely stored token). */
    public static final int UNREACHABLE_OR_AUTH = 3;

    private ExitCodes() {
    }
}
