package io.cairn.events.agent;

/**
 * One artifact of a restore chain as the catalog recorded it, so the agent can check it is intact before using it.
 *
 * @param path   the artifact file on the host
 * @param format its image format (qcow2 for push targets, raw possible for a full)
 * @param size   its size in bytes when written
 * @param sha256 lower-case hex SHA-256 of its bytes when written
 */
public record RestoreLink(String path, String format, long size, String sha256) {
}
