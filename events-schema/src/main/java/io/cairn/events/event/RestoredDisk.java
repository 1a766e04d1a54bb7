package io.cairn.events.event;

import java.util.List;

/**
 * One disk a restore wrote: the new image, and the artifacts it came from (full first).
 *
 * @param name   the disk's target name
 * @param path   the image written
 * @param format {@code qcow2} or {@code raw}
 * @param size   the image file's size in bytes (a thin overlay's own size: its data stays in the artifacts)
 * @param sha256 lower-case hex SHA-256 of the image file's bytes, as written
 * @param chain  the artifacts restored from, full first, each checked against its catalog checksum before use
 */
public record RestoredDisk(String name, String path, String format, long size, String sha256, List<String> chain) {
    public RestoredDisk {
        chain = chain == null ? List.of() : List.copyOf(chain);
    }
}
