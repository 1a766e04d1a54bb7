package io.cairn.events.agent;

/**
 * A successor after its merge step, as the agent read it back.
 *
 * @param backing the file its header now names; null when it became standalone
 */
public record MergedFile(String disk, String path, String backing, long size, String sha256) {
}
