package io.cairn.testing.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The guest-less invocation verified in qemu-qmp-verified.md §2: q35 with a virtio-blk BlockBackend
 * per disk, so block jobs put their filters below the device exactly as on a libvirt host.
 */
final class QemuCommandLine {

    private QemuCommandLine() {
    }

    static List<String> build(Path qmpSocket, Path probeSocket, Collection<QemuDisk> disks) {
        List<String> command = new ArrayList<>(List.of(
                "qemu-system-x86_64",
                "-machine", "q35",
                "-nodefaults",
                "-display", "none",
                "-accel", "tcg",
                // -S: the VM stays in prelaunch; no CPU runs, yet bitmaps, jobs, NBD and HMP qemu-io work.
                "-S",
                "-m", "64",
                "-qmp", "unix:" + qmpSocket + ",server=on,wait=off",
                // A second monitor: QEMU serves one client per QMP socket and the agent holds the first one.
                "-qmp", "unix:" + probeSocket + ",server=on,wait=off"));
        for (QemuDisk disk : disks) {
            command.add("-blockdev");
            command.add("{\"driver\":\"file\",\"filename\":\"" + jsonEscape(disk.image().toString())
                    + "\",\"node-name\":\"" + disk.storageNodeName()
                    + "\",\"auto-read-only\":true,\"discard\":\"unmap\"}");
            command.add("-blockdev");
            command.add("{\"driver\":\"qcow2\",\"file\":\"" + disk.storageNodeName()
                    + "\",\"node-name\":\"" + disk.formatNodeName() + "\",\"read-only\":false}");
            command.add("-device");
            command.add("virtio-blk-pci,drive=" + disk.formatNodeName() + ",id=" + disk.deviceId());
        }
        return command;
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
