package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.backup.service.catalog.RestorePoints;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans pruning of one domain's catalog, with no I/O: which restore points a policy keeps, which expired links a
 * kept one still stands on (merged into the kept artifact above them, so the chain shortens instead of breaking),
 * and which files and checkpoints nothing kept needs any more.
 */
public final class RetentionPlanner {

    private static final Comparator<Artifact> OLDEST_FIRST = Comparator.comparing(Artifact::completedAt)
            .thenComparing(Artifact::id);

    private final List<Artifact> catalog;
    private final ArtifactTree tree;
    /** Artifacts the catalog still holds afterwards: those kept as they are, or rewritten by merges. */
    private final Set<Artifact> retained = new LinkedHashSet<>();
    /** Artifacts on broken chains: left exactly as they are. */
    private final Set<Artifact> untouched = new LinkedHashSet<>();

    private RetentionPlanner(List<Artifact> catalog, List<RestorePoint> points) {
        this.catalog = catalog.stream().sorted(OLDEST_FIRST).toList();
        this.tree = new ArtifactTree(points);
    }

    /** The plan for one domain's artifacts at {@code now}; planning again once it is applied changes nothing. */
    public static RetentionPlan plan(RetentionPolicy policy, List<Artifact> catalog, Instant now) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        requireOneDomain(catalog);
        List<RestorePoint> points = RestorePoints.of(catalog, List.of());
        RetentionPlanner planner = new RetentionPlanner(catalog, points);

        List<RestorePoint> judged = points.stream().filter(point -> !point.time().isAfter(now)).toList();
        List<RestorePoint> complete = judged.stream().filter(RestorePoint::complete).toList();
        Map<String, RetentionRule> rules = KeepRules.select(policy, complete);
        List<KeptPoint> kept = new ArrayList<>();
        List<RestorePoint> expired = new ArrayList<>();
        List<RestorePoint> unrestorable = new ArrayList<>();
        for (RestorePoint point : points) {
            RetentionRule rule = point.time().isAfter(now) ? RetentionRule.AFTER_NOW : rules.get(point.jobId());
            if (!point.complete()) {
                unrestorable.add(point);
            } else if (rule != null) {
                kept.add(new KeptPoint(point, rule));
            } else {
                expired.add(point);
            }
        }
        return planner.plan(kept, expired, unrestorable, now);
    }

    private RetentionPlan plan(List<KeptPoint> kept, List<RestorePoint> expired, List<RestorePoint> unrestorable,
            Instant now) {
        for (Artifact artifact : catalog) {
            if (!tree.restorable(artifact)) {
                untouched.add(artifact);
            }
        }
        Set<String> keptJobs = new LinkedHashSet<>();
        kept.forEach(point -> keptJobs.add(point.point().jobId()));
        catalog.stream().filter(artifact -> keptJobs.contains(artifact.jobId())).forEach(retained::add);
        Set<Artifact> keptTops = Set.copyOf(retained);
        retainNewestAndLaterBackups(now);
        // Each round keeps the links whose merge would be ambiguous; the set only grows, so this ends.
        boolean more;
        do {
            more = retainAmbiguousLinks();
        } while (more);
        List<MergeStep> merges = new ArrayList<>();
        for (Artifact successor : retained) {
            for (Artifact link = tree.below(successor); link != null && !retained.contains(link);
                    link = tree.below(link)) {
                List<Artifact> base = chainUnder(link);
                merges.add(new MergeStep(successor.disk(), link, successor,
                        base.isEmpty() ? MergeStep.Kind.REBASE_STANDALONE : MergeStep.Kind.REBASE_ONTO_BASE, base));
            }
        }
        List<Artifact> deletable = catalog.stream()
                .filter(artifact -> !retained.contains(artifact) && !untouched.contains(artifact)).toList();
        List<Artifact> linksKept = retained.stream().filter(artifact -> !keptTops.contains(artifact)).toList();
        return new RetentionPlan(kept, expired, unrestorable, merges, linksKept, deletable,
                expiredCheckpoints(deletable));
    }

    /**
     * The next incremental is taken from the newest checkpoint and stacks on the newest backup's artifacts, so they
     * stay even when that backup is not a kept point (another disk's chain is broken): deleting one would leave the
     * next incremental without its base or, with a reused checkpoint name, stack it on an older file of that name.
     * Backups completed after {@code now} are not the plan's to judge, complete or not.
     */
    private void retainNewestAndLaterBackups(Instant now) {
        String newestJob = catalog.isEmpty() ? null : catalog.get(catalog.size() - 1).jobId();
        catalog.stream().filter(artifact -> !untouched.contains(artifact))
                .filter(artifact -> artifact.completedAt().isAfter(now) || artifact.jobId().equals(newestJob))
                .forEach(retained::add);
    }

    /**
     * After a merge, the successor is incremental from its new base's checkpoint, and the catalog finds that link as
     * the latest artifact of the disk holding the checkpoint written before the successor. If a reused checkpoint
     * name put another surviving artifact in between, the catalog would stack the wrong file: keep the expired link
     * right above the base instead (one more round then checks the chain from there).
     */
    private boolean retainAmbiguousLinks() {
        List<Artifact> keepAsLinks = new ArrayList<>();
        for (Artifact successor : retained) {
            Artifact lowestExpired = null;
            Artifact link = tree.below(successor);
            while (link != null && !retained.contains(link)) {
                lowestExpired = link;
                link = tree.below(link);
            }
            if (lowestExpired != null && link != null && ambiguous(successor, link)) {
                keepAsLinks.add(lowestExpired);
            }
        }
        retained.addAll(keepAsLinks);
        sortRetained();
        return !keepAsLinks.isEmpty();
    }

    private boolean ambiguous(Artifact successor, Artifact base) {
        for (Artifact other : catalog) {
            if (!other.id().equals(base.id()) && (retained.contains(other) || untouched.contains(other))
                    && other.captures(successor.disk(), base.checkpoint())
                    && !other.completedAt().isBefore(base.completedAt())
                    && other.completedAt().isBefore(successor.completedAt())) {
                return true;
            }
        }
        return false;
    }

    /** Oldest first, so a step's base chain only names kept links already rewritten by earlier steps. */
    private void sortRetained() {
        List<Artifact> sorted = retained.stream().sorted(OLDEST_FIRST).toList();
        retained.clear();
        retained.addAll(sorted);
    }

    /** The chain under {@code link} once the steps before have been applied: kept links skip their merged ones. */
    private List<Artifact> chainUnder(Artifact link) {
        List<Artifact> chain = new ArrayList<>();
        Artifact below = tree.below(link);
        while (below != null) {
            chain.add(below);
            below = retained.contains(below) ? keptBelow(below) : tree.below(below);
        }
        return chain;
    }

    /** The first retained artifact under a retained one: what it stands on once its expired links are merged. */
    private Artifact keptBelow(Artifact artifact) {
        Artifact below = tree.below(artifact);
        while (below != null && !retained.contains(below)) {
            below = tree.below(below);
        }
        return below;
    }

    private List<ExpiredCheckpoint> expiredCheckpoints(List<Artifact> deletable) {
        Set<String> stillHeld = new LinkedHashSet<>();
        for (Artifact artifact : catalog) {
            if (retained.contains(artifact) || untouched.contains(artifact)) {
                stillHeld.add(artifact.checkpoint());
            }
        }
        Map<String, Instant> candidates = new TreeMap<>();
        for (Artifact artifact : deletable) {
            if (artifact.checkpoint() != null && !stillHeld.contains(artifact.checkpoint())) {
                candidates.merge(artifact.checkpoint(), artifact.completedAt(),
                        (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return candidates.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(entry -> new ExpiredCheckpoint(entry.getKey(), entry.getValue())).toList();
    }

    private static void requireOneDomain(List<Artifact> catalog) {
        Set<String> domains = new LinkedHashSet<>();
        catalog.forEach(artifact -> domains.add(artifact.domain()));
        if (domains.size() > 1) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                    "retention plans one domain's catalog at a time, got artifacts of " + domains);
        }
    }
}
