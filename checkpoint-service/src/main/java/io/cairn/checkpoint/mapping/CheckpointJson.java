package io.cairn.checkpoint.mapping;

import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The JSONB shapes of a checkpoint's disks and broken bitmaps, with libvirt's spellings ("bitmap", "missing"). */
final class CheckpointJson {
    static final String DISKS = "disks";
    static final String BROKEN_DISKS = "brokenDisks";

    private CheckpointJson() {
    }

    static String disks(List<CheckpointDisk> disks) {
        if (disks == null) {
            return null;
        }
        JsonArray array = new JsonArray();
        for (CheckpointDisk disk : disks) {
            JsonObject entry = new JsonObject().put("name", disk.name()).put("checkpoint", disk.checkpoint().xml());
            if (disk.bitmap() != null) {
                entry.put("bitmap", disk.bitmap());
            }
            array.add(entry);
        }
        return new JsonObject().put(DISKS, array).encode();
    }

    static List<CheckpointDisk> disks(String column) {
        if (column == null) {
            return null;
        }
        List<CheckpointDisk> disks = new ArrayList<>();
        for (Object item : new JsonObject(column).getJsonArray(DISKS)) {
            JsonObject entry = (JsonObject) item;
            disks.add(new CheckpointDisk(entry.getString("name"),
                    CheckpointDiskMode.fromXml(entry.getString("checkpoint")), entry.getString("bitmap"), null));
        }
        return disks;
    }

    static String brokenDisks(List<BrokenBitmap> broken) {
        if (broken.isEmpty()) {
            return null;
        }
        JsonArray array = new JsonArray();
        for (BrokenBitmap bitmap : broken) {
            array.add(new JsonObject().put("disk", bitmap.disk()).put("bitmap", bitmap.bitmap())
                    .put("problem", bitmap.problem().wire()).put("message", bitmap.message()));
        }
        return new JsonObject().put(BROKEN_DISKS, array).encode();
    }

    static List<BrokenBitmap> brokenDisks(String column) {
        if (column == null) {
            return List.of();
        }
        List<BrokenBitmap> broken = new ArrayList<>();
        for (Object item : new JsonObject(column).getJsonArray(BROKEN_DISKS)) {
            JsonObject entry = (JsonObject) item;
            broken.add(new BrokenBitmap(entry.getString("disk"), entry.getString("bitmap"),
                    problem(entry.getString("problem")), entry.getString("message")));
        }
        return broken;
    }

    private static BitmapProblem problem(String wire) {
        for (BitmapProblem problem : BitmapProblem.values()) {
            if (problem.wire().equals(wire)) {
                return problem;
            }
        }
        throw new IllegalArgumentException("unknown bitmap problem '" + wire + "'");
    }
}
