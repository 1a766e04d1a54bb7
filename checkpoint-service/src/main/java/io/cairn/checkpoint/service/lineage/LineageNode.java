package io.cairn.checkpoint.service.lineage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * A checkpoint linked to its parent and children; the tree's hidden metaroot (libvirt's trick) has no checkpoint,
 * so roots are simply its children.
 */
final class LineageNode {
    /** Siblings in a fixed order (libvirt leaves it unspecified): oldest first, then by name. */
    static final Comparator<LineageNode> SIBLING_ORDER = Comparator
            .comparingLong((LineageNode node) -> node.checkpoint.creationTime())
            .thenComparing(node -> node.checkpoint.name());

    Checkpoint checkpoint;
    LineageNode parent;
    private final List<LineageNode> children = new ArrayList<>();

    LineageNode(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    static LineageNode metaroot() {
        return new LineageNode(null);
    }

    boolean isMetaroot() {
        return checkpoint == null;
    }

    String name() {
        return checkpoint.name();
    }

    List<LineageNode> children() {
        return Collections.unmodifiableList(children);
    }

    boolean hasChildren() {
        return !children.isEmpty();
    }

    /** Links this node under {@code newParent}, keeping the sibling order sorted. */
    void attachTo(LineageNode newParent) {
        detach();
        int at = Collections.binarySearch(newParent.children, this, SIBLING_ORDER);
        newParent.children.add(at < 0 ? -at - 1 : at, this);
        parent = newParent;
    }

    void detach() {
        if (parent != null) {
            parent.children.remove(this);
            parent = null;
        }
    }

    /** Visits every descendant, each before its own descendants (libvirt's virDomainMomentForEachDescendant). */
    void forEachDescendant(Consumer<LineageNode> action) {
        // An explicit stack: a long linear lineage must not become a deep Java call stack.
        Deque<LineageNode> pending = new ArrayDeque<>();
        pushChildren(pending, this);
        while (!pending.isEmpty()) {
            LineageNode node = pending.pop();
            action.accept(node);
            pushChildren(pending, node);
        }
    }

    private static void pushChildren(Deque<LineageNode> pending, LineageNode node) {
        for (int i = node.children.size() - 1; i >= 0; i--) {
            pending.push(node.children.get(i));
        }
    }

    /** Re-sorts this node among its siblings after its creation time changed (redefine in place). */
    void resortAmongSiblings() {
        LineageNode currentParent = parent;
        if (currentParent != null) {
            attachTo(currentParent);
        }
    }
}
