package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Splits the monitor's byte stream into JSON messages. QMP sends exactly one JSON object per line
 * (terminated by CRLF), so a newline scan is enough and no streaming parser is needed.
 */
final class QmpSocketReader {

    /** Where decoded messages and the end of the stream go. */
    interface Sink {
        void onMessage(JsonNode message);

        void onEndOfStream(Throwable cause);
    }

    private static final Logger LOG = Logger.getLogger(QmpSocketReader.class);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** A line buffer that one big reply grew past this is dropped, not kept for the connection's life. */
    private static final int KEPT_LINE_BUFFER_BYTES = 64 * 1024;

    private final ObjectMapper mapper;
    private final Sink sink;
    private final int maxLineBytes;
    private ByteArrayOutputStream line = new ByteArrayOutputStream(4096);

    QmpSocketReader(ObjectMapper mapper, Sink sink, int maxLineBytes) {
        this.mapper = mapper;
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Blocks the calling (reader) thread until the channel reaches EOF or fails, then reports why; a line longer
     * than {@code maxLineBytes} is a failure ({@link QmpLineTooLongException}), so a peer cannot grow it forever.
     */
    void readUntilClosed(SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                drainLines(buffer);
                buffer.clear();
            }
            sink.onEndOfStream(null);
        } catch (IOException | RuntimeException e) {
            sink.onEndOfStream(e);
        }
    }

    private void drainLines(ByteBuffer buffer) throws QmpLineTooLongException {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                emitLine();
            } else if (line.size() < maxLineBytes) {
                line.write(b);
            } else {
                throw new QmpLineTooLongException(maxLineBytes);
            }
        }
    }

    private void emitLine() {
        byte[] bytes = line.toByteArray();
        if (bytes.length > KEPT_LINE_BUFFER_BYTES) {
            line = new ByteArrayOutputStream(4096);
        } else {
            line.reset();
        }
        if (isBlank(bytes)) {
            return;
        }
        JsonNode message;
        try {
            message = mapper.readTree(bytes);
        } catch (IOException e) {
            LOG.warnf("ignoring unparsable QMP line: %s", new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        sink.onMessage(message);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != '\r' && b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
