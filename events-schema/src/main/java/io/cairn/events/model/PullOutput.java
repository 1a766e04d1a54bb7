package io.cairn.events.model;

/**
 * One file a pull backup's client wrote for a disk (backup.register).
 *
 * @param name   the disk's target name in the backup job
 * @param path   the file's absolute path on the job's host, in the domain's directory
 * @param format {@code qcow2} or {@code raw}; an incremental's output must be {@code qcow2}
 */
public record PullOutput(String name, String path, String format) {
}
