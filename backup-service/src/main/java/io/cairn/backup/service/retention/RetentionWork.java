package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.events.event.KeptRestorePoint;
import io.cairn.events.event.PrunedArtifactEntry;
import io.cairn.events.event.UnneededCheckpoint;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a run does, fixed when it starts: a {@link RetentionPlan} reduced to what the agent, the catalog and the
 * outcome need, so it can be stored with the run and shown while it works.
 *
 * @param unneededCheckpoints checkpoints only the deleted artifacts held (left to the user to delete)
 */
public record RetentionWork(List<KeptRestorePoint> kept, List<PlannedMerge> merges,
        List<PrunedArtifactEntry> deletions, List<UnneededCheckpoint> unneededCheckpoints) {

    public RetentionWork {
        kept = kept == null ? List.of() : List.copyOf(kept);
        merges = merges == null ? List.of() : List.copyOf(merges);
        deletions = deletions == null ? List.of() : List.copyOf(deletions);
        unneededCheckpoints = unneededCheckpoints == null ? List.of() : List.copyOf(unneededCheckpoints);
    }

    public static RetentionWork of(RetentionPlan plan) {
        List<KeptRestorePoint> kept = plan.kept().stream().map(point -> new KeptRestorePoint(
                point.point().checkpoint(), point.point().jobId(), wire(point.rule()))).toList();
        List<PlannedMerge> merges = plan.merges().stream().map(PlannedMerge::of).toList();
        List<PrunedArtifactEntry> deletions = plan.deletable().stream().map(RetentionWork::pruned).toList();
        List<UnneededCheckpoint> checkpoints = plan.checkpoints().stream()
                .map(expired -> new UnneededCheckpoint(expired.checkpoint(), expired.lastCapturedAt())).toList();
        return new RetentionWork(kept, merges, deletions, checkpoints);
    }

    /** Whether there is anything for an agent to do. */
    public boolean changesFiles() {
        return !merges.isEmpty() || !deletions.isEmpty();
    }

    /** The hosts whose files the work changes (the hosts of the artifacts named). */
    public static Set<String> hostsOf(RetentionPlan plan) {
        Set<String> hosts = new LinkedHashSet<>();
        plan.merges().forEach(step -> {
            hosts.add(step.successor().hostId());
            hosts.add(step.expired().hostId());
            step.expiredBase().forEach(base -> hosts.add(base.hostId()));
        });
        plan.deletable().forEach(artifact -> hosts.add(artifact.hostId()));
        return hosts;
    }

    private static PrunedArtifactEntry pruned(Artifact artifact) {
        return new PrunedArtifactEntry(artifact.disk(), artifact.id(), artifact.checkpoint(), artifact.path(),
                artifact.size());
    }

    static String wire(RetentionRule rule) {
        return rule.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
