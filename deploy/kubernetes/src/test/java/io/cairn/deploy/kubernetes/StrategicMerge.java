package io.cairn.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The part of Kubernetes' strategic merge patch the overlays use, so tests render them as kustomize does: maps merge
 * key by key, lists of named items (containers, env, ports) merge by {@code name}, any other list is replaced.
 */
final class StrategicMerge {

    private StrategicMerge() {
    }

    /** Applies {@code patch} to {@code target} in place. */
    static void apply(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = target.get(field.getKey());
            JsonNode change = field.getValue();
            if (change.isNull()) {
                target.remove(field.getKey());
            } else if (current instanceof ObjectNode currentMap && change instanceof ObjectNode changeMap) {
                apply(currentMap, changeMap);
            } else if (current instanceof ArrayNode currentList && change instanceof ArrayNode changeList
                    && namedItems(currentList) && namedItems(changeList)) {
                mergeByName(currentList, changeList);
            } else {
                target.set(field.getKey(), change.deepCopy());
            }
        }
    }

    private static void mergeByName(ArrayNode target, ArrayNode patch) {
        for (JsonNode item : patch) {
            ObjectNode existing = null;
            for (JsonNode candidate : target) {
                if (candidate.get("name").equals(item.get("name"))) {
                    existing = (ObjectNode) candidate;
                }
            }
            if (existing == null) {
                target.add(item.deepCopy());
            } else {
                apply(existing, (ObjectNode) item);
            }
        }
    }

    private static boolean namedItems(ArrayNode list) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.hasNonNull("name")) {
                return false;
            }
        }
        return !list.isEmpty();
    }
}
