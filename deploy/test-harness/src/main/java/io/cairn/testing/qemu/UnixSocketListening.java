package io.cairn.testing.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells whether a unix socket is accepting connections, without connecting. QEMU's socket file
 * appears at bind(), a moment before listen(); a client connecting in between gets "Connection
 * refused". A probe connection is no way out: QMP serves one client at a time and greets each one.
 */
final class UnixSocketListening {

    private static final Path PROC_NET_UNIX = Path.of("/proc/net/unix");
    /** __SO_ACCEPTCON in the Flags column: the socket is in listen(). */
    private static final String LISTENING_FLAGS = "00010000";

    private UnixSocketListening() {
    }

    static boolean isListening(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        String path = socket.toAbsolutePath().toString();
        try {
            List<String> lines = Files.readAllLines(PROC_NET_UNIX);
            return lines.stream().skip(1)
                    .map(line -> line.trim().split("\\s+"))
                    // Num RefCount Protocol Flags Type St Inode Path
                    .anyMatch(fields -> fields.length >= 8 && fields[7].equals(path) && fields[3].equals(LISTENING_FLAGS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
