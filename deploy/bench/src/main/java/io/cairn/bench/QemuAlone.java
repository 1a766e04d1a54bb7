package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The same operations done with QEMU alone, through the VM's second monitor, the way libvirt or a script does them: a
 * persistent bitmap in a transaction for a checkpoint, a target added with blockdev-add and blockdev-backup started in
 * the same transaction for a push backup, a fleecing overlay and an NBD export for a pull backup.
 */
final class QemuAlone {
    private static final Duration JOB_WAIT = Duration.ofMinutes(10);

    /** The disk under test: its QOM device id (for qemu-io), its format node and its size. */
    record Disk(String device, String node, long size) {
    }

    private final QmpSession qmp;
    private final Disk disk;

    QemuAlone(QmpSession qmp) {
        this.qmp = qmp;
        this.disk = firstDisk(qmp);
    }

    /** Removes QEMU-alone bitmaps an interrupted run left behind (Cairn's own bitmaps are not touched). */
    void removeLeftoverBitmaps() {
        for (JsonNode node : qmp.execute("query-named-block-nodes", QmpSession.args().put("flat", true))) {
            if (disk.node().equals(node.path("node-name").asText())) {
                for (JsonNode bitmap : node.path("dirty-bitmaps")) {
                    String name = bitmap.path("name").asText();
                    if (name.startsWith("bench-qemu-")) {
                        removeBitmap(name);
                    }
                }
            }
        }
    }

    Disk disk() {
        return disk;
    }

    private static Disk firstDisk(QmpSession qmp) {
        for (JsonNode block : qmp.execute("query-block", QmpSession.args())) {
            String qdev = block.path("qdev").asText("");
            if (block.has("inserted") && qdev.startsWith("/machine/peripheral/")) {
                String driver = block.at("/inserted/drv").asText();
                if (!"qcow2".equals(driver) && !"raw".equals(driver)) {
                    throw new BenchFailure("the benchmark VM's disk has a " + driver + " node on top, left by an "
                            + "interrupted run: restart the VM (deploy/local/cairn vm stop bench-vm) and run again");
                }
                return new Disk(qdev.split("/")[3], block.at("/inserted/node-name").asText(),
                        block.at("/inserted/image/virtual-size").asLong());
            }
        }
        throw new BenchFailure("the benchmark VM has no disk");
    }

    void addBitmap(String name) {
        transaction(bitmap("block-dirty-bitmap-add", name, true));
    }

    void removeBitmap(String name) {
        transaction(bitmap("block-dirty-bitmap-remove", name, false));
    }

    /** Creates the target, adds it and starts the backup job with a new bitmap in one transaction; returns the job id. */
    String startPush(Path target, String newBitmap, String incrementalFrom) {
        createImage(target);
        String id = nodeId(target);
        qmp.execute("blockdev-add", QmpSession.args().put("driver", "file").put("node-name", id + "-file")
                .put("filename", target.toString()));
        qmp.execute("blockdev-add", QmpSession.args().put("driver", "qcow2").put("node-name", id)
                .put("file", id + "-file"));
        ObjectNode backup = QmpSession.args().put("device", disk.node()).put("target", id).put("job-id", id)
                .put("sync", incrementalFrom == null ? "full" : "incremental");
        if (incrementalFrom != null) {
            backup.put("bitmap", incrementalFrom);
        }
        transaction(bitmap("block-dirty-bitmap-add", newBitmap, true), action("blockdev-backup",
                backup));
        return id;
    }

    /** Waits for the job's end (QEMU's BLOCK_JOB_COMPLETED, or CANCELLED), then removes the target's nodes. */
    void finishPush(String jobId, boolean cancel) {
        if (cancel) {
            qmp.execute("job-cancel", QmpSession.args().put("id", jobId));
        }
        JsonNode end = qmp.awaitEvent(e -> ("BLOCK_JOB_COMPLETED".equals(e.path("event").asText())
                || "BLOCK_JOB_CANCELLED".equals(e.path("event").asText()))
                && jobId.equals(e.at("/data/device").asText()), JOB_WAIT, "end of job " + jobId);
        if (!cancel && end.at("/data/error").isTextual()) {
            throw new BenchFailure("QEMU's backup job " + jobId + " failed: " + end.at("/data/error").asText());
        }
        qmp.execute("blockdev-del", QmpSession.args().put("node-name", jobId));
        qmp.execute("blockdev-del", QmpSession.args().put("node-name", jobId + "-file"));
    }

    /**
     * Pull with QEMU alone: a fleecing overlay on the disk, blockdev-backup sync=none into it with a new bitmap, an NBD
     * server on a unix socket and the overlay exported; returns the NBD URI.
     */
    String startPull(Path scratch, Path socket, String newBitmap) {
        createImage(scratch);
        String id = nodeId(scratch);
        qmp.execute("blockdev-add", QmpSession.args().put("driver", "qcow2").put("node-name", id)
                .put("backing", disk.node()).set("file", QmpSession.args().put("driver", "file")
                        .put("filename", scratch.toString())));
        transaction(bitmap("block-dirty-bitmap-add", newBitmap, true), action("blockdev-backup",
                QmpSession.args().put("device", disk.node()).put("target", id).put("job-id", id).put("sync", "none")));
        // nbd-server-start still takes the legacy socket address: {type, data: {path}}.
        try {
            ObjectNode address = QmpSession.args().put("type", "unix");
            address.set("data", QmpSession.args().put("path", socket.toString()));
            qmp.execute("nbd-server-start", QmpSession.args().set("addr", address));
            qmp.execute("block-export-add", QmpSession.args().put("type", "nbd").put("id", id).put("node-name", id)
                    .put("name", disk.device()));
            return "nbd+unix:///" + disk.device() + "?socket=" + socket;
        } catch (BenchFailure e) {
            // Without the export nobody reads: the fleecing job and its overlay go, the disk is left as it was.
            qmp.execute("job-cancel", QmpSession.args().put("id", id));
            qmp.awaitEvent(event -> id.equals(event.at("/data/device").asText())
                    && event.path("event").asText().startsWith("BLOCK_JOB_") && !"BLOCK_JOB_READY".equals(
                    event.path("event").asText()), JOB_WAIT, "end of fleecing job " + id);
            qmp.execute("blockdev-del", QmpSession.args().put("node-name", id));
            throw e;
        }
    }

    void endPull(Path scratch) {
        String id = nodeId(scratch);
        qmp.execute("block-export-del", QmpSession.args().put("id", id));
        qmp.awaitEvent(e -> "BLOCK_EXPORT_DELETED".equals(e.path("event").asText()), JOB_WAIT, "export deleted");
        qmp.execute("nbd-server-stop", QmpSession.args());
        qmp.execute("job-cancel", QmpSession.args().put("id", id));
        qmp.awaitEvent(e -> e.path("event").asText().startsWith("BLOCK_JOB_")
                && !"BLOCK_JOB_READY".equals(e.path("event").asText()) && id.equals(e.at("/data/device").asText()),
                JOB_WAIT, "end of fleecing job " + id);
        qmp.execute("blockdev-del", QmpSession.args().put("node-name", id));
    }

    void guestWrite(int pattern, long offset, long length) {
        qmp.guestWrite(disk.device(), pattern, offset, length);
    }

    private void createImage(Path image) {
        Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), Long.toString(disk.size())));
    }

    private static String nodeId(Path file) {
        return "bq-" + file.getFileName().toString().replaceAll("[^A-Za-z0-9]", "-");
    }

    private ObjectNode bitmap(String type, String name, boolean persistent) {
        ObjectNode data = QmpSession.args().put("node", disk.node()).put("name", name);
        if (persistent) {
            data.put("persistent", true);
        }
        return action(type, data);
    }

    private static ObjectNode action(String type, ObjectNode data) {
        ObjectNode action = QmpSession.args().put("type", type);
        action.set("data", data);
        return action;
    }

    private void transaction(ObjectNode... actions) {
        ArrayNode list = CairnJson.mapper().createArrayNode();
        for (ObjectNode action : actions) {
            list.add(action);
        }
        qmp.execute("transaction", QmpSession.args().set("actions", list));
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the benchmark's own directory
        }
    }
}
