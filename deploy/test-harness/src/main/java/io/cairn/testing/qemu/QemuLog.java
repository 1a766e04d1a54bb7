package io.cairn.testing.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads QEMU's captured stdout/stderr, where HMP qemu-io reports its results (not in the QMP reply). */
public final class QemuLog {

    private static final int TAIL_CHARS = 4000;

    private QemuLog() {
    }

    /** The whole log, or an empty string when nothing was written yet. */
    public static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path log) {
        String text = read(log);
        return text.length() <= TAIL_CHARS ? text : text.substring(text.length() - TAIL_CHARS);
    }
}
