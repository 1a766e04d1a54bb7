package io.cairn.events.event;

/**
 * One pull output as the catalog recorded it by backup.register.
 *
 * @param disk            the disk's target name
 * @param checkpoint      the checkpoint the pull job created, whose state the file holds; null if it created none
 * @param incrementalFrom the checkpoint the file holds the changes since; null for a full backup
 * @param path            the file on the job's host
 * @param format          {@code qcow2} or {@code raw}, as the agent found it
 * @param size            the file's size in bytes, as the agent read it
 * @param sha256          lower-case hex SHA-256 of the file's bytes, as the agent read it
 */
public record RegisteredArtifact(String disk, String checkpoint, String incrementalFrom, String path, String format,
        long size, String sha256) {
}
