package io.cairn.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A domain's checkpoints as {@code virsh checkpoint-list --tree} draws them (libvirt's vshTreePrint): each root at the
 * margin, its children below a {@code |} and {@code +-}, a blank line after a last leaf.
 */
public final class CheckpointTree {
    private final List<JsonNode> views = new ArrayList<>();

    /** {@code views}: the list endpoint's JSON array of {@code {checkpoint: {name, parent}, health}}. */
    public CheckpointTree(JsonNode views) {
        views.forEach(this.views::add);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            if (parent(i) == null) {
                print(i, i, true, new StringBuilder(), lines);
            }
        }
        return lines;
    }

    private void print(int dev, int lastDev, boolean root, StringBuilder indent, List<String> lines) {
        lines.add((indent + (root ? "" : "+- ") + label(dev)).stripTrailing());
        if (!root) {
            indent.append(dev == lastDev ? ' ' : '|').append(' ');
        }
        int nextLast = -1;
        for (int i = 0; i < views.size(); i++) {
            if (name(dev).equals(parent(i))) {
                nextLast = i;
            }
        }
        if (nextLast != -1) {
            lines.add(indent + "  |");
        }
        indent.append("  ");
        for (int i = 0; i < views.size(); i++) {
            if (name(dev).equals(parent(i))) {
                print(i, nextLast, false, indent, lines);
            }
        }
        indent.setLength(indent.length() - 2);
        if (nextLast == -1 && dev == lastDev) {
            lines.add(indent.toString().stripTrailing());
        }
        if (!root) {
            indent.setLength(indent.length() - 2);
        }
    }

    private String name(int i) {
        return views.get(i).at("/checkpoint/name").asText();
    }

    /** The parent's name, or null for a root (and for a parent not in the list, as virsh treats it). */
    private String parent(int i) {
        JsonNode parent = views.get(i).at("/checkpoint/parent");
        if (parent.isMissingNode() || parent.isNull() || parent.asText().isEmpty()) {
            return null;
        }
        for (int j = 0; j < views.size(); j++) {
            if (name(j).equals(parent.asText())) {
                return parent.asText();
            }
        }
        return null;
    }

    private String label(int i) {
        String health = views.get(i).path("health").asText("active");
        return name(i) + ("active".equals(health) ? "" : "  (" + health + ")");
    }
}
