package io.cairn.events.agent;

import java.util.Objects;

/**
 * What a push backup wrote for one disk, as the agent read it back when the job completed: the target file's size
 * and the SHA-256 of its bytes (the file as stored, not the guest-visible content), so the catalog can later tell
 * an intact artifact from a damaged one.
 *
 * @param path   the target file
 * @param size   its size in bytes
 * @param sha256  lower-case hex SHA-256 of the file's bytes
 * @param backing the backing file the target's header names, as the agent left it: the previous artifact for an
 *                incremental whose base the catalog knew, a path that cannot exist when it did not (so a reader gets
 *                an error, never the live disk's data), null for a standalone (full) target or from older agents
 */
public record WrittenTarget(String path, long size, String sha256, String backing) {
    public WrittenTarget {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** A standalone target (no backing file), or one from an agent that does not say. */
    public WrittenTarget(String path, long size, String sha256) {
        this(path, size, sha256, null);
    }

    /** The same target, naming the backing file its header now names. */
    public WrittenTarget withBacking(String backingFile) {
        return new WrittenTarget(path, size, sha256, backingFile);
    }
}
