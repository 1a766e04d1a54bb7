package io.cairn.checkpoint.service.lineage;

/**
 * A child moved up when its parent is deleted without its children.
 *
 * @param checkpoint the child
 * @param newParent  the deleted checkpoint's parent, or null when the child becomes a root
 */
public record Reparenting(String checkpoint, String newParent) {
}
