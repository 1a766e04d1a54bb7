package io.cairn.backup.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuDisk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The benchmark's own QMP connection on a QEMU's second monitor, for "QEMU alone" runs: unlike the harness's probe
 * it keeps events, each stamped with the nanoTime it was read, so a block job can be timed to its
 * BLOCK_JOB_COMPLETED. Also writes guest data (HMP qemu-io) while the agent holds the first monitor.
 */
final class QmpSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(5);

    /** One message from QEMU and when it was read. */
    record Message(long nanos, JsonNode body) {
    }

    private final SocketChannel channel;
    private final BlockingQueue<Message> incoming = new LinkedBlockingQueue<>();
    private final List<Message> events = new ArrayList<>();

    private QmpSession(SocketChannel channel) {
        this.channel = channel;
        // channel.read and channel.write lock separately; the java.nio.channels.Channels streams and readers share
        // the channel's blocking lock, so a command's write would wait for the reader thread's read forever.
        Thread reader = new Thread(this::read, "bench-qmp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static QmpSession connect(Path socket) {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            QmpSession session = new QmpSession(channel);
            session.take(); // greeting
            session.execute("qmp_capabilities", null);
            return session;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + socket, e);
        }
    }

    static ObjectNode arguments() {
        return JSON.createObjectNode();
    }

    /** The command's return; events read meanwhile are kept for {@link #awaitEvent}. */
    JsonNode execute(String command, ObjectNode arguments) {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(command, e);
        }
        while (true) {
            Message message = take();
            if (message.body().has("return")) {
                return message.body().get("return");
            }
            if (message.body().has("error")) {
                throw new IllegalStateException(command + ": " + message.body().at("/error/desc").asText());
            }
            events.add(message);
        }
    }

    /** The first event (kept or arriving) with this name whose data matches; removed from the kept ones. */
    Message awaitEvent(String name, Predicate<JsonNode> data) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (Message event : events) {
                if (name.equals(event.body().path("event").asText()) && data.test(event.body().path("data"))) {
                    events.remove(event);
                    return event;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + name + " within " + WAIT);
            }
            events.add(take());
        }
    }

    /** A guest write without a guest: HMP qemu-io through the disk's device. */
    void write(QemuDisk disk, PatternWrite write) {
        String reply = execute("human-monitor-command", arguments().put("command-line", "qemu-io -d "
                + disk.qemuIoBackend() + " \"" + write.qemuIoCommand() + "\"")).asText();
        if (!reply.isEmpty()) {
            throw new IllegalStateException("qemu-io " + write + ": " + reply);
        }
    }

    private Message take() {
        try {
            Message message = incoming.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new IllegalStateException("QEMU said nothing within " + WAIT);
            }
            if (message.body() == null) {
                throw new IllegalStateException("QEMU closed the monitor");
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    incoming.add(new Message(System.nanoTime(), JSON.readTree(line.toString(StandardCharsets.UTF_8))));
                    line.reset();
                }
                buffer.clear();
            }
        } catch (IOException closed) {
            // the session ends
        }
        incoming.add(new Message(System.nanoTime(), null));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a unix socket: nothing to recover
        }
    }
}
