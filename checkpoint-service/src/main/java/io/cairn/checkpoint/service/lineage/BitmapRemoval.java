package io.cairn.checkpoint.service.lineage;

/**
 * One QEMU bitmap a checkpoint deletion must remove from a disk before the metadata goes.
 *
 * @param checkpoint      the checkpoint the bitmap belongs to
 * @param disk            the disk target, e.g. {@code vda}
 * @param bitmap          the bitmap name
 * @param expectedMissing true when the agents already reported this bitmap missing, so the host step may tolerate
 *                        its absence instead of failing as libvirt would ("bitmap not found in backing chain")
 */
public record BitmapRemoval(String checkpoint, String disk, String bitmap, boolean expectedMissing) {
}
