package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One node of the block graph from query-named-block-nodes (flat). {@code filename} is the image path
 * QEMU reports in "file", not the name of the child node.
 */
public record BlockNode(String nodeName, String driver, String filename, boolean readOnly, long virtualSize,
        Optional<String> backingFilename, int backingFileDepth, List<DirtyBitmap> dirtyBitmaps) {

    public BlockNode {
        dirtyBitmaps = List.copyOf(dirtyBitmaps);
    }

    static BlockNode fromJson(JsonNode node) {
        List<DirtyBitmap> bitmaps = new ArrayList<>();
        node.path("dirty-bitmaps").forEach(bitmap -> bitmaps.add(DirtyBitmap.fromJson(bitmap)));
        JsonNode image = node.path("image");
        return new BlockNode(
                QmpJson.requiredText(node, "node-name"),
                QmpJson.requiredText(node, "drv"),
                node.path("file").asText(""),
                node.path("ro").asBoolean(),
                image.path("virtual-size").asLong(),
                QmpJson.optionalText(image, "backing-filename"),
                node.path("backing_file_depth").asInt(),
                bitmaps);
    }

    public Optional<DirtyBitmap> bitmap(String name) {
        return dirtyBitmaps.stream().filter(bitmap -> bitmap.hasName(name)).findFirst();
    }
}
