package io.cairn.events.agent;

import java.util.Objects;

/**
 * What a push backup wrote for one disk, as the agent read it back when the job completed: the target file's size
 * and the SHA-256 of its bytes (the file as stored, not the guest-visible content), so the catalog can later tell
 * an intact artifact from a damaged one.
 *
 * @param path   the target file
 * @param size   its size in bytes
 * @param sha256 lower-case hex SHA-256 of the file's bytes
 */
public record WrittenTarget(String path, long size, String sha256) {
    public WrittenTarget {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
