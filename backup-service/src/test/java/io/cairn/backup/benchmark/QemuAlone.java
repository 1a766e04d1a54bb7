package io.cairn.backup.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QemuImg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline: the same backup done by QEMU alone over raw QMP (blockdev-add of a fresh qcow2 target,
 * blockdev-backup), timed from the first QMP command to BLOCK_JOB_COMPLETED; the target's blockdev-del (which
 * closes and flushes it) is timed too. qemu-img create of the target is not timed.
 */
final class QemuAlone {
    /** Time to BLOCK_JOB_COMPLETED, time to the end of blockdev-del, and the bytes the job copied. */
    record Timing(long toCompletedNanos, long toDetachedNanos, long bytes) {
    }

    private QemuAlone() {
    }

    /** {@code sync} is full or incremental; {@code bitmap} is the incremental's bitmap, else null. */
    static Timing backup(QmpSession qmp, QemuDisk disk, Path target, String sync, String bitmap, Path log) {
        String node = "bench-" + target.getFileName().toString().replaceAll("[^A-Za-z0-9]", "-");
        String job = node + "-job";
        QemuImg.createQcow2(target, disk.sizeBytes(), log);
        long started = System.nanoTime();
        qmp.execute("blockdev-add", QmpSession.arguments().put("driver", "file").put("node-name", node + "-file")
                .put("filename", target.toString()));
        qmp.execute("blockdev-add", QmpSession.arguments().put("driver", "qcow2").put("node-name", node)
                .put("file", node + "-file"));
        var arguments = QmpSession.arguments().put("job-id", job).put("device", disk.formatNodeName())
                .put("target", node).put("sync", sync);
        if (bitmap != null) {
            arguments.put("bitmap", bitmap);
        }
        qmp.execute("blockdev-backup", arguments);
        QmpSession.Message completed = qmp.awaitEvent("BLOCK_JOB_COMPLETED",
                data -> job.equals(data.path("device").asText()));
        JsonNode data = completed.body().path("data");
        if (data.has("error")) {
            throw new AssertionError("QEMU's own backup failed: " + data);
        }
        qmp.execute("blockdev-del", QmpSession.arguments().put("node-name", node));
        qmp.execute("blockdev-del", QmpSession.arguments().put("node-name", node + "-file"));
        long detached = System.nanoTime();
        try {
            Files.delete(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Timing(completed.nanos() - started, detached - started, data.path("offset").asLong());
    }
}
