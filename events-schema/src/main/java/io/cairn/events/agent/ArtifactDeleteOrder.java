package io.cairn.events.agent;

/** A backup file a retention run deletes once every merge step is done. */
public record ArtifactDeleteOrder(String disk, String path) {
}
