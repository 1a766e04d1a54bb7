package io.cairn.agent.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The qemu-storage-daemon command line of one chain export. Every option is QEMU's JSON form, so a path with a comma
 * or an equals sign needs no escaping. Each link is opened read-only and named explicitly: a qcow2 link's backing is
 * the previous link's node, the full's is null, so QEMU never follows a backing file named in an image header (an
 * incremental's header may name a file that is gone, or, from libvirt 9.0 push backups, the live disk).
 */
final class QsdCommand {

    static final String BINARY = "qemu-storage-daemon";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TLS_ID = "restore-tls";
    /** Enough for the VM that attaches the disks plus a few copying clients; more would only share the same disk. */
    static final int MAX_CONNECTIONS = 16;

    private QsdCommand() {
    }

    /**
     * The full argument list, the binary first. Order matters: qsd processes options in order and serves nothing until
     * all are done, so a client that got the NBD greeting finds every export there.
     */
    static List<String> of(List<DiskChain> disks, Path socket, Path keyDir) {
        List<String> command = new ArrayList<>(List.of(BINARY));
        for (int d = 0; d < disks.size(); d++) {
            List<ChainLink> links = disks.get(d).chainFullFirst();
            for (int i = 0; i < links.size(); i++) {
                ChainLink link = links.get(i);
                ObjectNode file = JSON.createObjectNode().put("driver", "file").put("node-name", fileNode(d, i))
                        .put("filename", link.path().toString()).put("read-only", true).put("auto-read-only", true);
                ObjectNode format = JSON.createObjectNode().put("driver", link.format()).put("node-name", formatNode(d, i))
                        .put("file", fileNode(d, i)).put("read-only", true).put("auto-read-only", true);
                if (ChainLink.QCOW2.equals(link.format())) {
                    if (i == 0) {
                        format.putNull("backing");
                    } else {
                        format.put("backing", formatNode(d, i - 1));
                    }
                }
                command.add("--blockdev");
                command.add(file.toString());
                command.add("--blockdev");
                command.add(format.toString());
            }
        }
        command.add("--object");
        command.add(JSON.createObjectNode().put("qom-type", "tls-creds-psk").put("id", TLS_ID).put("endpoint", "server")
                .put("dir", keyDir.toString()).toString());
        ObjectNode server = JSON.createObjectNode();
        server.putObject("addr").put("type", "unix").put("path", socket.toString());
        server.put("tls-creds", TLS_ID).put("max-connections", MAX_CONNECTIONS);
        command.add("--nbd-server");
        command.add(server.toString());
        for (int d = 0; d < disks.size(); d++) {
            DiskChain disk = disks.get(d);
            command.add("--export");
            command.add(JSON.createObjectNode().put("type", "nbd").put("id", "export-" + d)
                    .put("node-name", formatNode(d, disk.chainFullFirst().size() - 1)).put("name", disk.exportName())
                    .put("writable", false).toString());
        }
        return command;
    }

    /**
     * Text only the command line of the daemon serving with this key directory contains: how a restarted agent tells
     * its own leftover daemon from any other process (a reused pid, another export's daemon). A path JSON would escape
     * never matches, so such a daemon is left alone rather than a stranger killed.
     */
    static String marker(Path keyDir) {
        return "\"dir\":\"" + keyDir + "\"";
    }

    private static String fileNode(int disk, int link) {
        return "d" + disk + "-l" + link + "-file";
    }

    private static String formatNode(int disk, int link) {
        return "d" + disk + "-l" + link + "-fmt";
    }
}
