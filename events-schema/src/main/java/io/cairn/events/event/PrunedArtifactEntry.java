package io.cairn.events.event;

/**
 * An artifact a retention run deleted: no kept restore point needs it any more.
 *
 * @param checkpoint the checkpoint it held
 * @param size       its size as the catalog recorded it; null when unknown
 */
public record PrunedArtifactEntry(String disk, String artifact, String checkpoint, String path, Long size) {
}
