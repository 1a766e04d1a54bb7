package io.cairn.backup.service.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backup.service.catalog.Artifact;
import io.cairn.backup.service.catalog.RestorePoint;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pruning plans on small catalogs whose every outcome is spelled out: merges, deletions, what is left alone. */
class RetentionPlannerTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z"); // a Monday
    private static final Instant NOW = T0.plus(Duration.ofDays(60));

    @Test
    void anExpiredChainUnderAKeptPointIsMergedIntoItTopDownAndTheFullRollsForward() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1, 1, 1, 2, 1));
        disks.add("j1", "vda", "c1", "c0", day(1), Map.of(0, 2));
        disks.add("j2", "vda", "c2", "c1", day(2), Map.of(1, 3));
        disks.add("j3", "vda", "c3", "c2", day(3), Map.of(2, 4));
        disks.add("j4", "vda", "c4", "c3", day(4), Map.of(0, 5));
        var before = disks.views();

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(2), disks.catalog(), NOW);

        assertThat(plan.kept()).extracting(k -> k.point().jobId(), KeptPoint::rule)
                .containsExactly(tuple("j4", RetentionRule.KEEP_LAST), tuple("j3", RetentionRule.KEEP_LAST));
        assertThat(plan.expired()).extracting(RestorePoint::jobId).containsExactly("j2", "j1", "j0");
        assertThat(plan.merges()).extracting(m -> m.successor().id(), m -> m.expired().id(), MergeStep::kind)
                .containsExactly(tuple("j3/vda", "j2/vda", MergeStep.Kind.REBASE_ONTO_BASE),
                        tuple("j3/vda", "j1/vda", MergeStep.Kind.REBASE_ONTO_BASE),
                        tuple("j3/vda", "j0/vda", MergeStep.Kind.REBASE_STANDALONE));
        assertThat(plan.merges().get(0).expiredBase()).extracting(Artifact::id).containsExactly("j1/vda", "j0/vda");
        assertThat(plan.merges().get(0).newIncrementalFrom()).isEqualTo("c1");
        assertThat(plan.merges().get(2).newIncrementalFrom()).as("j3 becomes a full").isNull();
        assertThat(plan.deletable()).extracting(Artifact::id).containsExactly("j0/vda", "j1/vda", "j2/vda");
        assertThat(plan.deletableBytes()).isEqualTo(5 * Disks.BLOCK_BYTES);
        assertThat(plan.checkpoints()).extracting(ExpiredCheckpoint::checkpoint).containsExactly("c0", "c1", "c2");
        assertThat(plan.checkpoints().get(2).lastCapturedAt()).isEqualTo(day(2));

        disks.apply(plan);
        assertThat(disks.views()).containsOnlyKeys("j3", "j4");
        assertThat(disks.views().get("j3")).isEqualTo(before.get("j3"));
        assertThat(disks.views().get("j4")).isEqualTo(before.get("j4"));
        assertThat(disks.usage()).as("j3 grew to a full of 3 blocks, j4 kept 1").isEqualTo(4 * Disks.BLOCK_BYTES);
        assertThat(RetentionPlanner.plan(RetentionPolicy.keepLast(2), disks.catalog(), NOW).changesNothing()).isTrue();
    }

    @Test
    void anExpiredLinkBetweenTwoKeptPointsIsMergedIntoTheNewerOneOntoTheOlder() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1, 1, 1));
        disks.add("j1", "vda", "c1", "c0", day(1).plusSeconds(60), Map.of(0, 2));
        disks.add("j2", "vda", "c2", "c1", day(1).plusSeconds(120), Map.of(1, 3));
        var before = disks.views();

        RetentionPlan plan = RetentionPlanner.plan(new RetentionPolicy(0, 2, 0, 0, 0), disks.catalog(), NOW);

        assertThat(plan.kept()).extracting(k -> k.point().jobId()).containsExactly("j2", "j0");
        assertThat(plan.merges()).singleElement().satisfies(step -> {
            assertThat(step.expired().id()).isEqualTo("j1/vda");
            assertThat(step.successor().id()).isEqualTo("j2/vda");
            assertThat(step.base().id()).isEqualTo("j0/vda");
            assertThat(step.newIncrementalFrom()).isEqualTo("c0");
        });
        assertThat(plan.deletable()).extracting(Artifact::id).containsExactly("j1/vda");
        assertThat(plan.checkpoints()).extracting(ExpiredCheckpoint::checkpoint).containsExactly("c1");
        disks.apply(plan);
        assertThat(disks.views()).isEqualTo(Map.of("j0", before.get("j0"), "j2", before.get("j2")));
    }

    @Test
    void aLinkTwoKeptIncrementalsShareIsMergedIntoEach() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1, 1, 1));
        disks.add("j1", "vda", "c1", "c0", day(1), Map.of(0, 2));
        disks.add("j2", "vda", "c2", "c0", day(2), Map.of(1, 3));
        var before = disks.views();

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(2), disks.catalog(), NOW);

        assertThat(plan.merges()).extracting(m -> m.successor().id(), m -> m.expired().id(), MergeStep::kind)
                .containsExactly(tuple("j1/vda", "j0/vda", MergeStep.Kind.REBASE_STANDALONE),
                        tuple("j2/vda", "j0/vda", MergeStep.Kind.REBASE_STANDALONE));
        assertThat(plan.deletable()).extracting(Artifact::id).containsExactly("j0/vda");
        disks.apply(plan);
        assertThat(disks.views()).isEqualTo(Map.of("j1", before.get("j1"), "j2", before.get("j2")));
    }

    @Test
    void eachDiskIsMergedOnItsOwnChainAndAFullDiskNeedsNothing() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1));
        disks.add("j0", "vdb", "c0", null, day(0), Map.of(0, 7));
        disks.add("j1", "vda", "c1", "c0", day(1), Map.of(1, 2));
        disks.add("j1", "vdb", "c1", null, day(1), Map.of(0, 8, 1, 8));
        disks.add("j2", "vda", "c2", "c1", day(2), Map.of(2, 3));
        disks.add("j2", "vdb", "c2", "c1", day(2), Map.of(2, 9));
        var before = disks.views();

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(1), disks.catalog(), NOW);

        assertThat(plan.merges()).extracting(m -> m.successor().id(), m -> m.expired().id())
                .containsExactly(tuple("j2/vda", "j1/vda"), tuple("j2/vda", "j0/vda"), tuple("j2/vdb", "j1/vdb"));
        assertThat(plan.merges().get(2).kind()).isEqualTo(MergeStep.Kind.REBASE_STANDALONE);
        assertThat(plan.deletable()).extracting(Artifact::id)
                .containsExactly("j0/vda", "j0/vdb", "j1/vda", "j1/vdb");
        disks.apply(plan);
        assertThat(disks.views()).isEqualTo(Map.of("j2", before.get("j2")));
    }

    @Test
    void aKeptPointAboveAnotherKeptPointStandsOnItsFinalFormWhoseMergesComeFirst() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1, 1, 1, 2, 1, 3, 1));
        disks.add("j1", "vda", "c1", "c0", day(7), Map.of(0, 2));
        disks.add("j2", "vda", "c2", "c1", day(14).minusSeconds(60), Map.of(1, 3));
        disks.add("j3", "vda", "c3", "c2", day(14), Map.of(2, 4));
        disks.add("j4", "vda", "c4", "c3", day(15), Map.of(3, 5));
        var before = disks.views();
        // keepLast keeps j4, keepDaily j3 (the day before), keepWeekly j1 (j4's week already holds j2).
        RetentionPolicy policy = new RetentionPolicy(1, 1, 1, 0, 0);

        RetentionPlan plan = RetentionPlanner.plan(policy, disks.catalog(), NOW);

        assertThat(plan.kept()).extracting(k -> k.point().jobId(), KeptPoint::rule).containsExactly(
                tuple("j4", RetentionRule.KEEP_LAST), tuple("j3", RetentionRule.KEEP_DAILY),
                tuple("j1", RetentionRule.KEEP_WEEKLY));
        assertThat(plan.merges()).extracting(m -> m.successor().id(), m -> m.expired().id())
                .containsExactly(tuple("j1/vda", "j0/vda"), tuple("j3/vda", "j2/vda"));
        assertThat(plan.merges().get(1).expiredBase()).as("j1 already stands alone when j2 is merged into j3")
                .extracting(Artifact::id).containsExactly("j1/vda");
        disks.apply(plan);
        assertThat(disks.views()).isEqualTo(Map.of("j1", before.get("j1"), "j3", before.get("j3"),
                "j4", before.get("j4")));
    }

    @Test
    void anIncompleteChainIsNeverKeptAsRestorableNorMergedIntoNorDeleted() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1));
        disks.add("j2", "vda", "c2", "c1", day(2), Map.of(1, 2));
        disks.add("j3", "vda", "c3", "c2", day(3), Map.of(2, 3));

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(1), disks.catalog(), NOW);

        assertThat(plan.kept()).extracting(k -> k.point().jobId()).containsExactly("j0");
        assertThat(plan.unrestorable()).extracting(RestorePoint::jobId).containsExactly("j3", "j2");
        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.checkpoints()).isEmpty();
    }

    @Test
    void anIncompletePointsDiskOnACompleteChainIsPrunedLikeAnyLinkWhileItsBrokenDiskIsLeftAlone() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1));
        disks.add("j1", "vda", "c1", "c0", day(1), Map.of(1, 2));
        disks.add("j1", "vdb", "c1", "gone", day(1), Map.of(0, 5));
        disks.add("j2", "vda", "c2", "c1", day(2), Map.of(2, 3));
        disks.add("j2", "vdb", "c2", null, day(2), Map.of(0, 6));
        var before = disks.views();

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(1), disks.catalog(), NOW);

        assertThat(plan.kept()).extracting(k -> k.point().jobId()).containsExactly("j2");
        assertThat(plan.unrestorable()).extracting(RestorePoint::jobId).containsExactly("j1");
        assertThat(plan.expired()).extracting(RestorePoint::jobId).containsExactly("j0");
        assertThat(plan.merges()).extracting(m -> m.expired().id()).containsExactly("j1/vda", "j0/vda");
        assertThat(plan.deletable()).extracting(Artifact::id).containsExactly("j0/vda", "j1/vda");
        assertThat(plan.checkpoints()).as("c1 is still held by the broken j1/vdb, left alone")
                .extracting(ExpiredCheckpoint::checkpoint).containsExactly("c0");
        disks.apply(plan);
        assertThat(disks.views()).isEqualTo(Map.of("j2", before.get("j2")));
        assertThat(disks.catalog()).extracting(Artifact::id).containsExactly("j1/vdb", "j2/vda", "j2/vdb");
    }

    @Test
    void theNewestBackupsArtifactsStayEvenWhenItIsNoKeptPointSinceTheNextIncrementalStacksOnThem() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1));
        disks.add("j0", "vdb", "c0", null, day(0), Map.of(0, 2));
        disks.add("j1", "vda", "c1", "c0", day(1), Map.of(1, 3));
        disks.add("j1", "vdb", "c1", "lost", day(1), Map.of(1, 4));

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(1), disks.catalog(), NOW);

        assertThat(plan.kept()).extracting(k -> k.point().jobId()).containsExactly("j0");
        assertThat(plan.unrestorable()).extracting(RestorePoint::jobId).containsExactly("j1");
        assertThat(plan.linksKept()).extracting(Artifact::id).containsExactly("j1/vda");
        assertThat(plan.changesNothing()).isTrue();
    }

    @Test
    void aReusedCheckpointNameBetweenKeepsTheExpiredLinkSoTheCatalogStillStacksTheRightFile() {
        Disks disks = new Disks();
        disks.add("A", "vda", "a", null, day(0), Map.of(0, 1, 1, 1));
        disks.add("E", "vda", "b", "a", day(1), Map.of(0, 2));
        disks.add("X", "vda", "a", null, day(1).plusSeconds(60), Map.of(0, 9, 1, 9)); // "a" deleted and made again
        disks.add("K", "vda", "k", "b", day(2), Map.of(1, 3));
        var before = disks.views();
        RetentionPolicy policy = new RetentionPolicy(0, 3, 0, 0, 0);

        RetentionPlan plan = RetentionPlanner.plan(policy, disks.catalog(), NOW);

        assertThat(plan.kept()).extracting(k -> k.point().jobId()).containsExactly("K", "X", "A");
        assertThat(plan.merges()).as("K from 'a' would stack on X, not A").isEmpty();
        assertThat(plan.linksKept()).extracting(Artifact::id).containsExactly("E/vda");
        assertThat(plan.changesNothing()).isTrue();
        disks.apply(plan);
        assertThat(disks.views()).isEqualTo(before);
    }

    @Test
    void pointsCompletedAfterNowAreKeptAndNotCountedByTheRules() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1));
        disks.add("j1", "vda", "c1", "c0", day(1), Map.of(1, 2));
        disks.add("j2", "vda", "c2", "c1", day(2), Map.of(2, 3));

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(1), disks.catalog(), day(1));

        assertThat(plan.kept()).extracting(k -> k.point().jobId(), KeptPoint::rule).containsExactly(
                tuple("j2", RetentionRule.AFTER_NOW), tuple("j1", RetentionRule.KEEP_LAST));
        assertThat(plan.merges()).extracting(m -> m.successor().id(), m -> m.expired().id())
                .containsExactly(tuple("j1/vda", "j0/vda"));
    }

    @Test
    void anIncompletePointAfterNowKeepsItsArtifactsOnCompleteChainsToo() {
        Disks disks = new Disks();
        disks.add("j0", "vda", "c0", null, day(0), Map.of(0, 1));
        disks.add("j0", "vdb", "c0", null, day(0), Map.of(0, 2));
        disks.add("j1", "vda", "c1", "c0", day(1), Map.of(1, 3));
        disks.add("j1", "vdb", "c1", "lost", day(1), Map.of(1, 4));
        disks.add("j2", "vda", "c2", "c1", day(2), Map.of(2, 5));
        disks.add("j2", "vdb", "c2", null, day(2), Map.of(2, 6));

        RetentionPlan plan = RetentionPlanner.plan(RetentionPolicy.keepLast(1), disks.catalog(), day(0));

        assertThat(plan.kept()).extracting(k -> k.point().jobId()).containsExactly("j2", "j0");
        assertThat(plan.unrestorable()).extracting(RestorePoint::jobId).containsExactly("j1");
        assertThat(plan.linksKept()).extracting(Artifact::id).containsExactly("j1/vda");
        assertThat(plan.changesNothing()).isTrue();
    }

    @Test
    void anEmptyCatalogPlansNothingAndTwoDomainsAreRefused() {
        assertThat(RetentionPlanner.plan(RetentionPolicy.keepLast(1), List.of(), NOW).changesNothing()).isTrue();
        Artifact a = new Artifact("j1", "vm1", "h", "vda", "c1", null, BackupMode.PUSH, "/p", "qcow2", 1L, null, T0);
        Artifact b = new Artifact("j2", "vm2", "h", "vda", "c1", null, BackupMode.PUSH, "/q", "qcow2", 1L, null, T0);
        assertThatThrownBy(() -> RetentionPlanner.plan(RetentionPolicy.keepLast(1), List.of(a, b), NOW))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG))
                .hasMessageContaining("one domain");
    }

    static Instant day(int n) {
        return T0.plus(Duration.ofDays(n));
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
