package io.cairn.tour;

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

/**
 * Plays the guest: the demo VMs run no OS, so the tour writes "guest data" with HMP qemu-io through the VM's QMP
 * socket, exactly as a guest's writes would reach the disk (and its dirty bitmaps).
 */
final class GuestDisk {

    private GuestDisk() {
    }

    /** Writes {@code length} bytes of {@code pattern} at {@code offset} on the VM's virtio disk {@code device}. */
    static void write(Path qmpSocket, String device, int pattern, long offset, long length) {
        String io = "write -P 0x%02x %d %d".formatted(pattern, offset, length);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(qmpSocket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);
            in.readLine(); // greeting
            call(in, out, CairnJson.mapper().createObjectNode().put("execute", "qmp_capabilities"));
            qemuIo(in, out, device, io);
            // The guest syncs, as a real one would: QEMU writes its qcow2 metadata cache out, so tools reading the
            // image file (qemu-img compare) see what the guest sees.
            qemuIo(in, out, device, "flush");
        } catch (IOException e) {
            throw new TourFailure("cannot write guest data through " + qmpSocket + ": " + e.getMessage(), e);
        }
    }

    private static void qemuIo(BufferedReader in, OutputStream out, String device, String io) throws IOException {
        ObjectNode hmp = CairnJson.mapper().createObjectNode().put("execute", "human-monitor-command");
        // -d: the device's QOM path; a virtio-blk-pci's BlockBackend hangs off its virtio-backend child.
        hmp.putObject("arguments").put("command-line", "qemu-io -d " + device + "/virtio-backend \"" + io + "\"");
        // qemu-io prints its report on QEMU's stdout; the monitor answers only its own errors (else nothing).
        String output = call(in, out, hmp).path("return").asText();
        if (!output.isBlank()) {
            throw new TourFailure("qemu-io '" + io + "' on " + device + " failed: " + output.strip());
        }
    }

    private static JsonNode call(BufferedReader in, OutputStream out, ObjectNode command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            JsonNode reply = CairnJson.mapper().readTree(line);
            if (reply.has("error")) {
                throw new TourFailure("QMP " + command.get("execute").asText() + " failed: " + reply.get("error"));
            }
            if (reply.has("return")) {
                return reply;
            }
            // an asynchronous event: not ours
        }
        throw new IOException("QMP connection closed");
    }
}
