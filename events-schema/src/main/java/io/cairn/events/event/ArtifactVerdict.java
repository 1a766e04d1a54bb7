package io.cairn.events.event;

/**
 * What a verify found for one artifact: intact (its bytes are those the catalog recorded), or the problem.
 *
 * @param disk       the disk the artifact belongs to
 * @param checkpoint the checkpoint whose state it holds; null when its backup created none
 * @param path       the artifact file on its host
 * @param intact     true when size and SHA-256 equal the catalog's
 * @param problem    why not (missing, unreadable, damaged with both checksums); null when intact
 */
public record ArtifactVerdict(String disk, String checkpoint, String path, boolean intact, String problem) {
}
