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
        return build(qmpSocket, probeSocket, disks, null);
    }

    /**
     * With a guest-agent socket: the host side of an {@code org.qemu.guest_agent.0} virtio-serial channel, QEMU
     * listening on it as libvirt's {@code <channel type='unix'>} makes it (qemu-restore-offline-verified.md §4).
     * Without a guest nothing ever answers on it.
     */
    static List<String> build(Path qmpSocket, Path probeSocket, Collection<QemuDisk> disks, Path guestAgentSocket) {
        return build(qmpSocket, probeSocket, disks, guestAgentSocket, null);
    }

    /** With a domain UUID ({@code -uuid}, as libvirt passes {@code <uuid>}): QEMU reports it in query-uuid. */
    static List<String> build(Path qmpSocket, Path probeSocket, Collection<QemuDisk> disks, Path guestAgentSocket,
            String uuid) {
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
        if (uuid != null) {
            command.addAll(List.of("-uuid", uuid));
        }
        if (guestAgentSocket != null) {
            command.addAll(List.of("-chardev", "socket,path=" + guestAgentSocket + ",server=on,wait=off,id=qga0",
                    "-device", "virtio-serial-pci,id=virtio-serial0",
                    "-device", "virtserialport,bus=virtio-serial0.0,nr=1,chardev=qga0,id=channel0,"
                            + "name=org.qemu.guest_agent.0"));
        }
        return command;
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
