package io.cairn.agent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Drains a child process's output on its own thread, keeping only the first bytes for error messages: reading
 * on the waiting thread would block until the process ends, so its timeout could never fire.
 */
public final class ProcessOutput {

    private final byte[] kept;
    private final Thread reader;
    private int length;
    private long discarded;

    private ProcessOutput(InputStream stream, int limit, String threadName) {
        this.kept = new byte[limit];
        this.reader = new Thread(() -> drain(stream), threadName);
        reader.setDaemon(true);
    }

    /** Starts draining {@code stream} until EOF, keeping at most {@code limit} bytes. */
    public static ProcessOutput drain(InputStream stream, int limit, String threadName) {
        ProcessOutput output = new ProcessOutput(stream, limit, threadName);
        output.reader.start();
        return output;
    }

    /**
     * What was kept, once the stream ended (the process and every child holding the pipe are gone) or after
     * {@code wait} at most, so a stray child cannot hold up the error message.
     */
    public String text(long wait, TimeUnit unit) throws InterruptedException {
        unit.timedJoin(reader, wait);
        synchronized (this) {
            String text = new String(kept, 0, length, StandardCharsets.UTF_8).strip();
            return discarded == 0 ? text : text + " [" + discarded + " more bytes not shown]";
        }
    }

    private void drain(InputStream stream) {
        byte[] buffer = new byte[8192];
        try (stream) {
            int read;
            while ((read = stream.read(buffer)) >= 0) {
                keep(buffer, read);
            }
        } catch (IOException e) {
            // The process was killed or the stream closed: what was kept is all there is.
        }
    }

    private synchronized void keep(byte[] buffer, int read) {
        int room = Math.min(read, kept.length - length);
        System.arraycopy(buffer, 0, kept, length, room);
        length += room;
        discarded += read - room;
    }
}
