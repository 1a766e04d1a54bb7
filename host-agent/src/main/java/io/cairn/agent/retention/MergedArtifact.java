package io.cairn.agent.retention;

import java.nio.file.Path;

/**
 * The successor after a merge step, for the catalog: its bytes changed, so its recorded size and SHA-256 must too.
 *
 * @param backing what its header now names: the expired link's base, or null when it became standalone
 */
public record MergedArtifact(Path successor, Path backing, long size, String sha256) {
}
