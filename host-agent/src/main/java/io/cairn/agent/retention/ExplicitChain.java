package io.cairn.agent.retention;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A chain of qcow2 files as one {@code json:} image name, every backing given and the lowest one closed with
 * {@code "backing": null}: qemu-img then reads exactly these files, whatever their headers name (the live disk, a
 * {@code .base-not-in-catalog} path that does not exist, or a stale path after a move).
 */
final class ExplicitChain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplicitChain() {
    }

    /** The chain, top first; its last file is read as standalone. */
    static String of(List<Path> topFirst) {
        if (topFirst.isEmpty()) {
            throw new IllegalArgumentException("a chain has at least one file");
        }
        ObjectNode top = JSON.createObjectNode();
        ObjectNode layer = top;
        for (int i = 0; i < topFirst.size(); i++) {
            layer.put("driver", "qcow2");
            layer.putObject("file").put("driver", "file").put("filename", topFirst.get(i).toString());
            if (i == topFirst.size() - 1) {
                layer.putNull("backing");
            } else {
                layer = layer.putObject("backing");
            }
        }
        return "json:" + top;
    }
}
