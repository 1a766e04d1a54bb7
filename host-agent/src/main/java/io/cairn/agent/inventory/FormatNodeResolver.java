package io.cairn.agent.inventory;

import io.cairn.agent.qmp.BlockNode;
import io.cairn.agent.qmp.QmpException;
import java.util.List;
import java.util.Set;

/**
 * Finds the format node under a device. Usually it is the node query-block reports as inserted, but a
 * running backup puts its copy-before-write filter (an anonymous #blockNNN node) between the device and
 * the format node. QEMU 7.2 names no child nodes outside the unstable x-debug-query-block-graph; a
 * filter does report its child's image filename, so the format node is found by that filename.
 */
final class FormatNodeResolver {

    /** Drivers that interpret an image format; everything else above them is a filter or protocol node. */
    private static final Set<String> FORMAT_DRIVERS = Set.of(
            "qcow2", "raw", "qed", "qcow", "vmdk", "vdi", "vhdx", "vpc", "luks", "parallels", "bochs", "cloop", "dmg");

    private FormatNodeResolver() {
    }

    static BlockNode resolve(String deviceId, String insertedNodeName, List<BlockNode> nodes) {
        BlockNode inserted = nodes.stream().filter(node -> node.nodeName().equals(insertedNodeName)).findFirst()
                .orElseThrow(() -> new QmpException(deviceId + ": inserted node " + insertedNodeName
                        + " is missing from query-named-block-nodes"));
        if (FORMAT_DRIVERS.contains(inserted.driver())) {
            return inserted;
        }
        List<BlockNode> candidates = nodes.stream()
                .filter(node -> FORMAT_DRIVERS.contains(node.driver()))
                .filter(node -> node.filename().equals(inserted.filename()))
                .toList();
        if (candidates.size() != 1) {
            throw new QmpException(deviceId + ": cannot tell the format node under " + inserted.driver() + " node "
                    + insertedNodeName + " (" + candidates.size() + " candidates for " + inserted.filename() + ")");
        }
        return candidates.get(0);
    }
}
