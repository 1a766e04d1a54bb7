package io.cairn.agent.operation;

import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.TransactionAction;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Transaction actions beyond the QMP client's basic ones: libvirt's temporary bitmaps and cross-node merges. */
public final class BitmapActions {

    private BitmapActions() {
    }

    /** A checkpoint bitmap as libvirt adds it: persistent, recording, default granularity (the cluster size). */
    public static TransactionAction checkpoint(String node, String name) {
        return TransactionAction.addBitmap(node, name, true, false);
    }

    /**
     * A temporary bitmap: non-persistent (never written to the image) and disabled (frozen at the
     * transaction's instant, as an exported or backup bitmap must be), with the source's granularity.
     */
    public static TransactionAction temporary(String node, String name, long granularity) {
        ObjectNode data = QmpClient.arguments().put("node", node).put("name", name)
                .put("persistent", false).put("disabled", true);
        if (granularity > 0) {
            data.put("granularity", granularity);
        }
        return new TransactionAction("block-dirty-bitmap-add", data);
    }

    /** Merges a bitmap of {@code sourceNode} into {@code target} on {@code node}; the nodes may differ. */
    public static TransactionAction mergeFrom(String node, String target, String sourceNode, String sourceBitmap) {
        ObjectNode data = QmpClient.arguments().put("node", node).put("target", target);
        data.putArray("bitmaps").addObject().put("node", sourceNode).put("name", sourceBitmap);
        return new TransactionAction("block-dirty-bitmap-merge", data);
    }
}
