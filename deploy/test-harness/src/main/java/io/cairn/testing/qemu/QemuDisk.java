package io.cairn.testing.qemu;

import java.nio.file.Path;

/**
 * A disk attached to a running guest-less QEMU: the qcow2 file, its two block nodes (libvirt-style
 * format-over-storage) and the virtio-blk device id, which is what the agent sees in query-block.
 */
public record QemuDisk(String deviceId, Path image, String formatNodeName, String storageNodeName, long sizeBytes) {

    /** The QOM path HMP {@code qemu-io -d} needs: a virtio-blk-pci's BlockBackend hangs off its virtio-backend child. */
    public String qemuIoBackend() {
        return deviceId + "/virtio-backend";
    }
}
