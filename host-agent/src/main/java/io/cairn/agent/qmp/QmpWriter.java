package io.cairn.agent.qmp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Writes commands to the monitor socket on the connection's own thread. A hung (or SIGSTOPped) QEMU
 * stops reading; once the socket buffer is full a write blocks, and it must block this thread, never
 * the caller's.
 */
final class QmpWriter {

    private final ExecutorService executor;
    private volatile SocketChannel channel;

    QmpWriter(String domain) {
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "qmp-writer-" + domain);
            thread.setDaemon(true);
            return thread;
        });
    }

    void attach(SocketChannel connected) {
        this.channel = connected;
    }

    /** Queues one line (a JSON message plus newline); {@code onFailure} runs if it cannot be written. */
    void writeLine(byte[] json, Consumer<IOException> onFailure) {
        ByteBuffer buffer = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        try {
            executor.execute(() -> {
                try {
                    write(buffer);
                } catch (IOException e) {
                    onFailure.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            onFailure.accept(new IOException("connection closed", e));
        }
    }

    /** Drops queued writes; a write blocked on a dead socket ends when the socket is closed. */
    void shutdown() {
        executor.shutdownNow();
    }

    private void write(ByteBuffer buffer) throws IOException {
        SocketChannel current = channel;
        if (current == null) {
            throw new IOException("not connected");
        }
        while (buffer.hasRemaining()) {
            current.write(buffer);
        }
    }
}
