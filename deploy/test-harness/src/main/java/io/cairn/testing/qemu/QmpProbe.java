package io.cairn.testing.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's own QMP connection on {@link GuestlessQemu#probeSocket()}: lets a test see what an agent left in QEMU
 * (exports, nodes, bitmaps, jobs) and write guest data, while the agent keeps its own monitor. Blocking and minimal:
 * one command at a time, events skipped.
 */
public final class QmpProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private QmpProbe(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects, reads the greeting and leaves capabilities negotiation mode. */
    public static QmpProbe connect(Path socket) {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            QmpProbe probe = new QmpProbe(channel);
            probe.readMessage();
            probe.execute("qmp_capabilities");
            return probe;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + socket, e);
        }
    }

    public static QmpProbe connect(GuestlessQemu qemu) {
        return connect(qemu.probeSocket());
    }

    public JsonNode execute(String command) {
        return execute(command, null);
    }

    /** The command's {@code return}; a QMP error becomes an IllegalStateException with QEMU's description. */
    public JsonNode execute(String command, ObjectNode arguments) {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        try {
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                JsonNode reply = readMessage();
                if (reply.has("return")) {
                    return reply.get("return");
                }
                if (reply.has("error")) {
                    throw new IllegalStateException(command + ": " + reply.at("/error/desc").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(command, e);
        }
    }

    public static ObjectNode arguments() {
        return JSON.createObjectNode();
    }

    /** Guest data without a guest: HMP qemu-io through the disk's device, as a guest write would go. */
    public void write(QemuDisk disk, PatternWrite write) {
        String reply = execute("human-monitor-command", arguments().put("command-line",
                "qemu-io -d " + disk.qemuIoBackend() + " \"" + write.qemuIoCommand() + "\"")).asText();
        // qemu-io's own errors go to QEMU's stdout; only monitor-level errors come back here.
        if (!reply.isEmpty()) {
            throw new IllegalStateException("qemu-io " + write + ": " + reply);
        }
    }

    /** {@code query-named-block-nodes} (flat): every node, with its dirty bitmaps. */
    public List<JsonNode> blockNodes() {
        return list(execute("query-named-block-nodes", arguments().put("flat", true)));
    }

    /** Names of the bitmaps on one node. */
    public List<String> bitmapNames(String nodeName) {
        List<String> names = new ArrayList<>();
        for (JsonNode node : blockNodes()) {
            if (nodeName.equals(node.path("node-name").asText())) {
                // Block jobs add anonymous bitmaps: only named ones count.
                node.path("dirty-bitmaps").forEach(bitmap -> {
                    if (bitmap.hasNonNull("name")) {
                        names.add(bitmap.get("name").asText());
                    }
                });
            }
        }
        return names;
    }

    public List<JsonNode> blockExports() {
        return list(execute("query-block-exports"));
    }

    public List<JsonNode> jobs() {
        return list(execute("query-jobs"));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private JsonNode readMessage() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QEMU closed the probe monitor");
        }
        return JSON.readTree(line);
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
