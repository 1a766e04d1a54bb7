package io.cairn.agent.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The host side of a guest-agent channel: QEMU listens on the chardev's unix socket and relays to the virtio-serial
 * port the guest's qemu-ga reads. Speaks qemu-ga's line protocol (one JSON object per line) with a deadline on every
 * read, which a blocking socket channel cannot have, hence the selector.
 */
final class GuestAgentSocket implements GuestAgentSession {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** qemu-ga drops any partial input when it reads 0xFF, and puts one before guest-sync-delimited's answer. */
    private static final byte DELIMITER = (byte) 0xFF;
    /** A line longer than this is no answer of the commands sent here. */
    private static final int MAX_LINE = 64 * 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(4096);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** A command went unanswered: its late answer may still come, and must not be taken for the next one's. */
    private boolean unanswered;

    private GuestAgentSocket(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
        in.flip();
    }

    /** Connects; a socket QEMU no longer listens on is "not connected", as libvirt calls any agent it cannot reach. */
    static GuestAgentSocket connect(Path socket) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new GuestAgentSocket(channel, selector);
        } catch (IOException e) {
            closeQuietly(channel);
            throw GuestAgentErrors.notConnected();
        }
    }

    @Override
    public void sync(Duration timeout) {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!write(true, "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}", deadline)) {
                throw GuestAgentErrors.notConnected();
            }
            while (true) {
                // Everything up to the delimiter is a stale answer of an earlier conversation.
                if (!skipToDelimiter(deadline)) {
                    throw GuestAgentErrors.notConnected();
                }
                String answer = readLine(deadline);
                if (answer == null) {
                    throw GuestAgentErrors.notConnected();
                }
                JsonNode reply = parse(answer);
                if (reply != null && reply.path("return").asLong(-1) == id) {
                    return;
                }
            }
        } catch (IOException e) {
            throw GuestAgentErrors.notConnected();
        }
    }

    @Override
    public int freeze(Duration timeout) {
        return count("guest-fsfreeze-freeze", timeout);
    }

    @Override
    public int thaw(Duration timeout) {
        return count("guest-fsfreeze-thaw", timeout);
    }

    private int count(String command, Duration timeout) {
        if (unanswered) {
            resync(timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            unanswered = true;
            String answer = write(false, "{\"execute\":\"" + command + "\"}", deadline) ? readLine(deadline) : null;
            if (answer == null) {
                throw GuestAgentErrors.noAnswer(command, timeout);
            }
            unanswered = false;
            JsonNode reply = parse(answer);
            if (reply != null && reply.has("error")) {
                throw GuestAgentErrors.commandFailed(command, reply.path("error").path("desc").asText("unknown error"));
            }
            if (reply == null || !reply.path("return").canConvertToInt()) {
                throw GuestAgentErrors.malformed(command, answer.length() > 200 ? answer.substring(0, 200) : answer);
            }
            return reply.path("return").asInt();
        } catch (IOException e) {
            throw GuestAgentErrors.disappeared(command);
        }
    }

    /** Skips a late answer by syncing again; if even that gets none, the command is sent anyway. */
    private void resync(Duration timeout) {
        try {
            sync(timeout);
            unanswered = false;
        } catch (RuntimeException e) {
            line.reset();
        }
    }

    /** Writes one command line, after a 0xFF when delimited; false if the socket took no byte before the deadline. */
    private boolean write(boolean delimited, String json, long deadline) throws IOException {
        byte[] text = (json + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(text.length + 1);
        if (delimited) {
            out.put(DELIMITER);
        }
        out.put(text).flip();
        // A few bytes into an empty socket buffer go at once; a full one means a peer that reads nothing.
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.onSpinWait();
            }
        }
        return true;
    }

    /** Reads until 0xFF; false if the deadline passed first. */
    private boolean skipToDelimiter(long deadline) throws IOException {
        while (true) {
            while (in.hasRemaining()) {
                if (in.get() == DELIMITER) {
                    line.reset();
                    return true;
                }
            }
            if (!fill(deadline)) {
                return false;
            }
        }
    }

    /** The next line without its newline; null if the deadline passed first. */
    private String readLine(long deadline) throws IOException {
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8).trim();
                    line.reset();
                    if (!text.isEmpty()) {
                        return text;
                    }
                } else if (b != DELIMITER) {
                    line.write(b);
                    if (line.size() > MAX_LINE) {
                        throw new IOException("guest agent line longer than " + MAX_LINE + " bytes");
                    }
                }
            }
            if (!fill(deadline)) {
                return null;
            }
        }
    }

    /** Waits for input until the deadline; false if none came. Fails when the peer closed the socket. */
    private boolean fill(long deadline) throws IOException {
        in.clear();
        try {
            while (true) {
                int read = channel.read(in);
                if (read < 0) {
                    throw new IOException("guest agent socket closed");
                }
                if (read > 0) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                selector.select(Math.max(1, Duration.ofNanos(left).toMillis()));
                selector.selectedKeys().clear();
            }
        } finally {
            in.flip();
        }
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // Nothing to release beyond the channel.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already unusable.
            }
        }
    }
}
