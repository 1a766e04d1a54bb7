package io.cairn.backup.service.retention;

import java.util.List;

/**
 * A merge step as a run stores it: the agent's order (paths) with the catalog's names for the files, so the report
 * of the step can be applied to the right catalog row.
 *
 * @param artifact           the kept artifact rewritten ({@code <jobId>/<disk>})
 * @param expiredArtifact    the expired one it absorbs
 * @param basePaths          the chain under the expired link, nearest first
 * @param newIncrementalFrom the kept artifact's base checkpoint afterwards; null when it becomes a full
 * @param sizeBefore         the kept artifact's size before the step, as the catalog had it; null when unknown
 */
public record PlannedMerge(String disk, String artifact, String path, String expiredArtifact, String expiredPath,
        List<String> basePaths, String newIncrementalFrom, Long sizeBefore) {

    public PlannedMerge {
        basePaths = basePaths == null ? List.of() : List.copyOf(basePaths);
    }

    static PlannedMerge of(MergeStep step) {
        return new PlannedMerge(step.disk(), step.successor().id(), step.successor().path(), step.expired().id(),
                step.expired().path(), step.expiredBase().stream().map(artifact -> artifact.path()).toList(),
                step.newIncrementalFrom(), step.successor().size());
    }
}
