package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One disk of a checkpoint, as libvirt's {@code <disk name= checkpoint= bitmap= size=/>}.
 *
 * @param name     disk target (e.g. {@code vda}), or an absolute source path on input
 * @param checkpoint {@code bitmap} or {@code no}; null on input means libvirt's default
 * @param bitmap   the QEMU bitmap name; defaults to the checkpoint name
 * @param size     bytes dirtied since the checkpoint, only when asked for (SIZE flag)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointDisk(String name, CheckpointDiskMode checkpoint, String bitmap, Long size) {
}
