package io.cairn.backup.rest;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.retention.FullBackupDue;
import io.cairn.backup.service.retention.PlannedMerge;
import io.cairn.backup.service.retention.RetentionPlanner;
import io.cairn.backup.service.retention.RetentionPolicy;
import io.cairn.backup.service.retention.RetentionWork;
import io.cairn.events.event.KeptRestorePoint;
import io.cairn.events.event.PrunedArtifactEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A domain's retention as REST shows it: the policy, and what applying it now would do (a dry run: the points kept
 * and why, the merges and deletions, the checkpoints left unneeded, and per disk whether the next backup is full).
 *
 * @param policy null when the domain has none (nothing is pruned, no full is forced)
 * @param plan   null without a policy
 */
public record RetentionView(String domain, RetentionPolicyBody policy, Plan plan) {

    /** What a run would do now. */
    public record Plan(List<KeptRestorePoint> kept, List<PlannedMerge> merges, List<PrunedArtifactEntry> deletions,
            List<io.cairn.events.event.UnneededCheckpoint> unneededCheckpoints, List<NextBackup> nextBackup) {
    }

    /** Whether the disk's next incremental push would be taken full, and why. */
    public record NextBackup(String disk, boolean full, String reason, String detail) {
    }

    static RetentionView of(String domain, Optional<RetentionPolicy> policy, List<Artifact> artifacts, Instant now) {
        if (policy.isEmpty()) {
            return new RetentionView(domain, null, null);
        }
        RetentionWork work = RetentionWork.of(RetentionPlanner.plan(policy.get(), artifacts, now));
        TreeSet<String> disks = new TreeSet<>();
        artifacts.forEach(artifact -> disks.add(artifact.disk()));
        List<NextBackup> next = disks.stream().map(disk -> FullBackupDue.of(policy.get(), artifacts, disk))
                .map(due -> new NextBackup(due.disk(), due.due(), due.reason().name(), due.detail())).toList();
        return new RetentionView(domain, RetentionPolicyBody.of(policy.get()), new Plan(work.kept(), work.merges(),
                work.deletions(), work.unneededCheckpoints(), next));
    }
}
