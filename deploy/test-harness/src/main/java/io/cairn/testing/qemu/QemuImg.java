package io.cairn.testing.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Offline image tooling (qemu-img, qemu-io) that tests use to make disks and to check backups byte for byte. */
public final class QemuImg {

    private QemuImg() {
    }

    public static void createQcow2(Path image, long sizeBytes, Path log) {
        ExternalCommand.runOrFail(
                List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), Long.toString(sizeBytes)), log);
    }

    /** Writes patterns with qemu-io into a qcow2 that no QEMU has open (qemu-io takes the image's write lock). */
    public static void writePatterns(Path image, List<PatternWrite> writes, Path log) {
        if (writes.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("qemu-io", "-f", "qcow2"));
        for (PatternWrite write : writes) {
            command.add("-c");
            command.add(write.qemuIoCommand());
        }
        command.add(image.toString());
        ExternalCommand.runOrFail(command, log);
    }

    /**
     * True when both qcow2 images have the same guest-visible content. Uses {@code -U} because the
     * source is usually still open in QEMU, whose write lock would otherwise make compare fail.
     */
    public static boolean identical(Path first, Path second, Path log) {
        int exit = ExternalCommand.run(List.of("qemu-img", "compare", "-U", "-f", "qcow2", "-F", "qcow2",
                first.toString(), second.toString()), log);
        // qemu-img compare: 0 identical, 1 different, anything else is an error (e.g. a missing file).
        if (exit > 1) {
            throw new IllegalStateException("qemu-img compare failed with " + exit + ":\n" + QemuLog.tail(log));
        }
        return exit == 0;
    }
}
