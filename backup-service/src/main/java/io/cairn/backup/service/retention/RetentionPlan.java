package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.RestorePoint;
import java.util.List;
import java.util.Objects;

/**
 * What pruning one domain's catalog under a policy does, before anything is done: apply {@code merges} in order,
 * then delete {@code deletable}, then (after checking each with the domain) the checkpoints. Every kept point then
 * still restores exactly as before.
 *
 * @param kept         the restore points kept, newest first, each with its rule
 * @param expired      the complete restore points not kept: their artifacts are merged away or deleted
 * @param unrestorable incomplete restore points: never kept as restorable, never merged into; the artifacts of their
 *                     broken chains are left alone (an operator decides), those on complete chains are pruned
 * @param merges       steps to apply in this order (a step's base chain assumes the earlier steps were applied)
 * @param linksKept    artifacts of no kept point that stay anyway: the newest backup's when it is not a kept
 *                     point (the next incremental stacks on them), and links whose merge would make a chain
 *                     ambiguous in the catalog (a reused checkpoint name between); usually empty
 * @param deletable    artifacts no kept point needs once the merges are applied, oldest first
 * @param checkpoints  checkpoints only deleted artifacts held: candidates for deletion
 */
public record RetentionPlan(List<KeptPoint> kept, List<RestorePoint> expired, List<RestorePoint> unrestorable,
        List<MergeStep> merges, List<Artifact> linksKept, List<Artifact> deletable,
        List<ExpiredCheckpoint> checkpoints) {

    public RetentionPlan {
        kept = List.copyOf(kept);
        expired = List.copyOf(expired);
        unrestorable = List.copyOf(unrestorable);
        merges = List.copyOf(merges);
        linksKept = List.copyOf(linksKept);
        deletable = List.copyOf(deletable);
        checkpoints = List.copyOf(checkpoints);
    }

    /** Nothing to merge or delete: the catalog already is what the policy keeps. */
    public boolean changesNothing() {
        return merges.isEmpty() && deletable.isEmpty();
    }

    /** Bytes the deleted files take today (unknown sizes count 0); merges grow their successors by part of it. */
    public long deletableBytes() {
        return deletable.stream().map(Artifact::size).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
    }
}
