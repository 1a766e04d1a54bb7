package io.cairn.tour;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a domain's checkpoint list (from the REST API) as a tree, like {@code virsh checkpoint-list --tree}. */
final class LineageTree {

    private LineageTree() {
    }

    /** {@code views}: the list endpoint's JSON array of {checkpoint: {name, parent}, health}. */
    static List<String> render(JsonNode views) {
        Map<String, List<JsonNode>> children = new LinkedHashMap<>();
        List<JsonNode> roots = new ArrayList<>();
        for (JsonNode view : views) {
            JsonNode parent = view.at("/checkpoint/parent");
            if (parent.isMissingNode() || parent.isNull() || parent.asText().isEmpty()) {
                roots.add(view);
            } else {
                children.computeIfAbsent(parent.asText(), p -> new ArrayList<>()).add(view);
            }
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode root : roots) {
            lines.add(label(root));
            draw(root, "", children, lines);
        }
        return lines;
    }

    private static void draw(JsonNode node, String indent, Map<String, List<JsonNode>> children, List<String> lines) {
        List<JsonNode> kids = children.getOrDefault(node.at("/checkpoint/name").asText(), List.of());
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            lines.add(indent + (last ? "  +- " : "  |- ") + label(kids.get(i)));
            draw(kids.get(i), indent + (last ? "     " : "  |  "), children, lines);
        }
    }

    private static String label(JsonNode view) {
        String health = view.path("health").asText("active");
        return view.at("/checkpoint/name").asText() + ("active".equals(health) ? "" : "  (" + health + ")");
    }
}
