package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;

/**
 * QEMU alone: a plain QMP client on the VM's second monitor, the baseline every Cairn figure is divided by. It does
 * in QMP what libvirt or a script would do for the same operation, nothing more; events are kept until asked for.
 */
final class QmpSession implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final Deque<JsonNode> events = new ArrayDeque<>();

    private QmpSession(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    static QmpSession connect(Path socket) {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            QmpSession session = new QmpSession(channel);
            session.in.readLine(); // greeting
            session.execute("qmp_capabilities", args());
            return session;
        } catch (IOException e) {
            throw new BenchFailure("cannot open QEMU's monitor " + socket + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode args() {
        return CairnJson.mapper().createObjectNode();
    }

    /** The command's return; a QMP error fails the benchmark with QEMU's description. */
    JsonNode execute(String command, ObjectNode arguments) {
        ObjectNode request = args().put("execute", command);
        request.set("arguments", arguments);
        try {
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                JsonNode reply = read();
                if (reply.has("event")) {
                    events.add(reply);
                } else if (reply.has("error")) {
                    throw new BenchFailure("QMP " + command + " failed: " + reply.get("error"));
                } else if (reply.has("return")) {
                    return reply.get("return");
                }
            }
        } catch (IOException e) {
            throw new BenchFailure("QMP " + command + ": " + e.getMessage(), e);
        }
    }

    /** HMP qemu-io on the disk's device: how the benchmark plays the guest's writes. */
    void guestWrite(String device, int pattern, long offset, long length) {
        for (String io : new String[] {"write -P 0x%02x %d %d".formatted(pattern, offset, length), "flush"}) {
            String output = execute("human-monitor-command", args().put("command-line",
                    "qemu-io -d " + device + "/virtio-backend \"" + io + "\"")).asText();
            if (!output.isBlank()) {
                throw new BenchFailure("qemu-io '" + io + "' on " + device + " failed: " + output.strip());
            }
        }
    }

    /**
     * Waits for the first event (kept or new) that matches. A unix channel has no read timeout: the deadline is checked
     * between events, which a running job sends often (JOB_STATUS_CHANGE, BLOCK_JOB_*).
     */
    JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout, String what) {
        for (JsonNode kept : events) {
            if (match.test(kept)) {
                events.remove(kept);
                return kept;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode next = read();
                if (next.has("event") && match.test(next)) {
                    return next;
                }
                if (next.has("event")) {
                    events.add(next);
                }
            }
        } catch (IOException e) {
            throw new BenchFailure("QMP, waiting for " + what + ": " + e.getMessage(), e);
        }
        throw new BenchFailure("QEMU sent no " + what + " within " + timeout.toSeconds() + " s");
    }

    private JsonNode read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QEMU closed the monitor");
        }
        return CairnJson.mapper().readTree(line);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
