package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One action of a QMP transaction; all actions of a transaction succeed or are rolled back together. */
public record TransactionAction(String type, ObjectNode data) {

    public static TransactionAction addBitmap(String node, String name, boolean persistent, boolean disabled) {
        return new TransactionAction("block-dirty-bitmap-add", QmpClient.arguments()
                .put("node", node).put("name", name).put("persistent", persistent).put("disabled", disabled));
    }

    public static TransactionAction removeBitmap(String node, String name) {
        return new TransactionAction("block-dirty-bitmap-remove", QmpClient.arguments()
                .put("node", node).put("name", name));
    }

    public static TransactionAction mergeBitmaps(String node, String target, List<String> sources) {
        ObjectNode data = QmpClient.arguments().put("node", node).put("target", target);
        sources.forEach(data.putArray("bitmaps")::add);
        return new TransactionAction("block-dirty-bitmap-merge", data);
    }

    /**
     * A blockdev-backup with auto-dismiss off, so the concluded job and its error stay visible to
     * query-jobs until job-dismiss (libvirt does the same; results then survive an agent restart).
     */
    public static TransactionAction blockdevBackup(String jobId, String device, String target, String sync) {
        return new TransactionAction("blockdev-backup", QmpClient.arguments()
                .put("job-id", jobId).put("device", device).put("target", target).put("sync", sync)
                .put("auto-dismiss", false));
    }

    ObjectNode toJson() {
        ObjectNode action = QmpClient.arguments().put("type", type);
        action.set("data", data);
        return action;
    }
}
