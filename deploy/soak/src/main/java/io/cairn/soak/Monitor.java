package io.cairn.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.time.Duration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The soak's own QMP connection on a VM's second monitor (the agent holds the first): it plays the guest (HMP qemu-io),
 * looks at what is left in QEMU after settle, and records every QMP event QEMU sends, so QEMU's own verdict on each
 * block job (BLOCK_JOB_COMPLETED with or without an error, BLOCK_JOB_CANCELLED) can be set beside Cairn's. It
 * reconnects by itself when QEMU is restarted, and remembers when it was not connected: a job's QEMU verdict is only
 * "observed" if the monitor was connected all the while.
 */
final class Monitor implements AutoCloseable {
    /** A QMP event as QEMU sent it, with the soak's receive time. */
    record QmpEvent(long atMillis, String name, JsonNode data) {
    }

    /** A time the monitor was not connected (QEMU down, or restarting). */
    record Gap(long fromMillis, long toMillis) {
    }

    private static final JsonNode CLOSED = CairnJson.mapper().createObjectNode().put("closed", true);

    private final Path socket;
    private final String name;
    private final List<QmpEvent> events = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile SocketChannel channel;
    private volatile boolean up;
    private volatile long downSince;

    Monitor(String name, Path socket) {
        this.name = name;
        this.socket = socket;
        this.downSince = System.currentTimeMillis();
        this.reader = new Thread(this::readLoop, "soak-qmp-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        while (!closed) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8));
                in.readLine(); // greeting
                writeFully(ch, "{\"execute\":\"qmp_capabilities\"}\n");
                String line;
                boolean negotiated = false;
                while (!negotiated && (line = in.readLine()) != null) {
                    negotiated = CairnJson.mapper().readTree(line).has("return");
                }
                if (!negotiated) {
                    throw new IOException("closed during negotiation");
                }
                replies.clear();
                channel = ch;
                synchronized (gaps) {
                    gaps.add(new Gap(downSince, System.currentTimeMillis()));
                }
                up = true;
                while ((line = in.readLine()) != null) {
                    JsonNode message = CairnJson.mapper().readTree(line);
                    if (message.has("event")) {
                        synchronized (events) {
                            events.add(new QmpEvent(System.currentTimeMillis(), message.get("event").asText(),
                                    message.path("data")));
                        }
                    } else {
                        replies.add(message);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // QEMU is down or restarting: try again shortly
            }
            if (up) {
                up = false;
                downSince = System.currentTimeMillis();
                replies.add(CLOSED);
            }
            channel = null;
            if (!closed) {
                Tools.sleep(300); // back-off before reconnecting to a QEMU that is down or restarting
            }
        }
    }

    boolean up() {
        return up;
    }

    /** Waits until connected; false after {@code millis}. */
    boolean awaitUp(long millis) {
        return Tools.until(Duration.ofMillis(millis), Duration.ofMillis(100), () -> up || closed) && up;
    }

    /** One QMP command; throws IOException when QEMU is not there or goes away, IllegalStateException on a QMP error. */
    synchronized JsonNode execute(String command, ObjectNode arguments) throws IOException {
        if (!up) {
            throw new IOException("monitor of " + name + " is not connected");
        }
        ObjectNode request = CairnJson.mapper().createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        replies.clear();
        try {
            writeFully(channel, request + "\n");
        } catch (IOException | NullPointerException e) {
            throw new IOException("monitor of " + name + " lost: " + e.getMessage());
        }
        JsonNode reply;
        try {
            reply = replies.poll(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (reply == null) {
            throw new IOException(command + " on " + name + ": no answer within 60 s");
        }
        if (reply == CLOSED) {
            throw new IOException(command + " on " + name + ": QEMU went away");
        }
        if (reply.has("error")) {
            throw new IllegalStateException(command + " on " + name + ": " + reply.path("error"));
        }
        return reply.path("return");
    }

    /** HMP qemu-io on a virtio disk (through its QOM path, as the tour does); qemu-io's own errors come back as text. */
    synchronized void qemuIo(String device, String io) throws IOException {
        ObjectNode args = CairnJson.mapper().createObjectNode().put("command-line",
                "qemu-io -d " + device + "/virtio-backend \"" + io + "\"");
        String output = execute("human-monitor-command", args).asText();
        if (!output.isBlank()) {
            throw new IOException("qemu-io '" + io + "' on " + device + ": " + output.strip());
        }
    }

    /**
     * Writes on the channel itself: a stream from Channels.newOutputStream would wait for the blocking lock the reader
     * thread holds while it waits for QEMU's next line, so no command could ever be sent.
     */
    private static void writeFully(SocketChannel ch, String text) throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
    }

    List<QmpEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** True when the monitor was connected during the whole of [from, to]. */
    boolean connectedThroughout(long from, long to) {
        if (!up && downSince <= to) {
            return false;
        }
        synchronized (gaps) {
            for (Gap gap : gaps) {
                if (gap.fromMillis() <= to && gap.toMillis() >= from) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
