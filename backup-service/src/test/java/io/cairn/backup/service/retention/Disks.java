package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.DiskRestore;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.catalog.RestorePoints;
import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model of backed-up disks for the planner's tests: each artifact holds blocks (index to value), a chain reads
 * as its links stacked, and a merge step does what a safe {@code qemu-img rebase} does, so "every kept point
 * restores identically" can be checked on the plan's own steps without QEMU.
 */
final class Disks {
    static final int BLOCKS = 64;
    static final long BLOCK_BYTES = 65536;

    private final Map<String, Map<Integer, Integer>> data = new HashMap<>();
    private final List<Artifact> catalog = new ArrayList<>();

    List<Artifact> catalog() {
        return List.copyOf(catalog);
    }

    /** Records an artifact holding {@code blocks} (a full must hold every block it wants non-zero). */
    Artifact add(String job, String disk, String checkpoint, String from, Instant time, Map<Integer, Integer> blocks) {
        Artifact artifact = new Artifact(job, "vm1", "host-a", disk, checkpoint, from, BackupMode.PUSH,
                "/srv/vm1/" + job + "." + disk + ".qcow2", "qcow2", BLOCK_BYTES * blocks.size(), sha(job, 0), time);
        catalog.add(artifact);
        data.put(artifact.id(), new TreeMap<>(blocks));
        return artifact;
    }

    long usage() {
        return catalog.stream().mapToLong(Artifact::size).sum();
    }

    /** What each complete point gives back, per job and disk. */
    Map<String, Map<String, Map<Integer, Integer>>> views() {
        Map<String, Map<String, Map<Integer, Integer>>> views = new HashMap<>();
        for (RestorePoint point : RestorePoints.of(catalog, List.of())) {
            if (point.complete()) {
                Map<String, Map<Integer, Integer>> disks = new HashMap<>();
                for (DiskRestore disk : point.disks()) {
                    disks.put(disk.disk(), stack(disk.chain().stream().map(Artifact::id).toList()));
                }
                views.put(point.jobId(), disks);
            }
        }
        return views;
    }

    /** Applies a plan as the agent and catalog would: merges in order, then deletions. */
    void apply(RetentionPlan plan) {
        int generation = 1;
        for (MergeStep step : plan.merges()) {
            List<String> base = new ArrayList<>(step.expiredBase().stream().map(Artifact::id).toList());
            java.util.Collections.reverse(base);
            Map<Integer, Integer> newView = stack(base);
            base.add(step.expired().id());
            Map<Integer, Integer> oldView = stack(base);
            Map<Integer, Integer> successor = data.get(step.successor().id());
            for (int block = 0; block < BLOCKS; block++) {
                int before = oldView.getOrDefault(block, 0);
                if (!successor.containsKey(block) && before != newView.getOrDefault(block, 0)) {
                    successor.put(block, before);
                }
            }
            int at = indexOf(step.successor().id());
            Artifact old = catalog.get(at);
            catalog.set(at, new Artifact(old.jobId(), old.domain(), old.hostId(), old.disk(), old.checkpoint(),
                    step.newIncrementalFrom(), old.mode(), old.path(), old.format(), BLOCK_BYTES * successor.size(),
                    sha(old.jobId(), generation++), old.completedAt()));
        }
        for (Artifact gone : plan.deletable()) {
            catalog.remove(indexOf(gone.id()));
            data.remove(gone.id());
        }
    }

    private Map<Integer, Integer> stack(List<String> fullFirst) {
        Map<Integer, Integer> view = new TreeMap<>();
        for (String id : fullFirst) {
            view.putAll(data.get(id));
        }
        view.values().removeIf(value -> value == 0);
        return view;
    }

    private int indexOf(String id) {
        for (int i = 0; i < catalog.size(); i++) {
            if (catalog.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("no artifact " + id);
    }

    private static String sha(String job, int generation) {
        return String.format("%064x", (long) (job.hashCode() * 31 + generation) & 0xffffffffL);
    }
}
