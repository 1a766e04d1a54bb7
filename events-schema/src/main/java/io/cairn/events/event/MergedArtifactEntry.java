package io.cairn.events.event;

/**
 * A kept artifact a retention run rewrote so that it no longer needs an expired link below it: it reads exactly as
 * before, stands on {@code incrementalFrom}'s artifact (or alone, a full, when that is null), and has a new size and
 * checksum.
 *
 * @param artifact        the kept artifact ({@code <jobId>/<disk>})
 * @param mergedAway      the expired artifact whose data it now holds
 * @param incrementalFrom the checkpoint it is now incremental from; null when it became a full
 */
public record MergedArtifactEntry(String disk, String artifact, String path, String mergedAway,
        String incrementalFrom, long size, String sha256) {
}
