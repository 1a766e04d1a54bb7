package io.cairn.checkpoint.service.lineage;

import static io.cairn.checkpoint.service.lineage.LineageFixture.assertLibvirtError;
import static io.cairn.checkpoint.service.lineage.LineageFixture.lineageWithCurrent;
import static io.cairn.checkpoint.service.lineage.LineageFixture.shape;
import static io.cairn.events.command.CheckpointDeleteFlag.CHILDREN;
import static io.cairn.events.command.CheckpointDeleteFlag.CHILDREN_ONLY;
import static io.cairn.events.command.CheckpointDeleteFlag.METADATA_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** virDomainCheckpointDelete (modern libvirt): what goes, who moves up, which checkpoint is current after, which bitmaps go. */
class CheckpointTreeDeleteTest {
    private static final Set<CheckpointDeleteFlag> NONE = EnumSet.noneOf(CheckpointDeleteFlag.class);

    /** a(b(c(d) e) f), creation order a..f. */
    private static CheckpointTree sample(String current) {
        return lineageWithCurrent(current, "a", "b<a", "c<b", "d<c", "e<b", "f<a");
    }

    @Test
    void deletingTheCurrentLeafMakesItsParentCurrent() {
        CheckpointTree tree = lineageWithCurrent("b", "a", "b<a");

        DeletionPlan plan = tree.delete("b", NONE);

        assertThat(shape(tree)).isEqualTo("a*");
        assertThat(plan.removed()).containsExactly("b");
        assertThat(plan.reparented()).isEmpty();
        assertThat(plan.currentBefore()).isEqualTo("b");
        assertThat(plan.currentAfter()).isEqualTo("a");
        assertThat(plan.bitmapRemovals()).containsExactly(
                new BitmapRemoval("b", "vda", "b", false), new BitmapRemoval("b", "vdb", "b", false));
    }

    @Test
    void deletingACheckpointWithChildrenMovesThemToItsParent() {
        CheckpointTree tree = sample("d");

        DeletionPlan plan = tree.delete("b", NONE);

        assertThat(shape(tree)).isEqualTo("a(c(d*) e f)");
        assertThat(plan.removed()).containsExactly("b");
        assertThat(plan.reparented()).containsExactly(new Reparenting("c", "a"), new Reparenting("e", "a"));
        assertThat(tree.lookup("c").parent()).isEqualTo("a");
        assertThat(tree.lookup("e").parent()).isEqualTo("a");
        assertThat(plan.currentAfter()).isEqualTo("d");
        assertThat(plan.bitmapsByDisk()).isEqualTo(Map.of("vda", List.of("b"), "vdb", List.of("b")));
    }

    @Test
    void deletingARootWithChildrenMakesThemRootsAndLeavesNoCurrentWhenTheRootWasCurrent() {
        CheckpointTree tree = lineageWithCurrent("a", "a", "b<a", "c<a");

        DeletionPlan plan = tree.delete("a", NONE);

        assertThat(shape(tree)).isEqualTo("b c");
        assertThat(plan.reparented()).containsExactly(new Reparenting("b", null), new Reparenting("c", null));
        assertThat(tree.lookup("b").parent()).isNull();
        assertThat(tree.currentName()).isEmpty();
        assertThat(plan.currentAfter()).isNull();
    }

    @Test
    void deletingTheCurrentMiddleCheckpointMakesItsParentCurrentAndKeepsTheGrandchild() {
        CheckpointTree tree = lineageWithCurrent("b", "a", "b<a", "c<b");

        tree.delete("b", NONE);

        assertThat(shape(tree)).isEqualTo("a*(c)");
    }

    @Test
    void deletingANonCurrentCheckpointKeepsTheCurrentOne() {
        CheckpointTree tree = sample("f");

        tree.delete("d", NONE);

        assertThat(shape(tree)).isEqualTo("a(b(c e) f*)");
    }

    @Test
    void childrenRemovesTheSubtreeInPreOrderAndHandsCurrentUpToTheParent() {
        CheckpointTree tree = sample("d");

        DeletionPlan plan = tree.delete("b", EnumSet.of(CHILDREN));

        assertThat(plan.removed()).containsExactly("b", "c", "d", "e");
        assertThat(plan.reparented()).isEmpty();
        assertThat(shape(tree)).isEqualTo("a*(f)");
        assertThat(plan.currentAfter()).isEqualTo("a");
        assertThat(plan.bitmapRemovals()).extracting(BitmapRemoval::checkpoint)
                .containsExactly("b", "b", "c", "c", "d", "d", "e", "e");
        assertThat(plan.bitmapsByDisk()).isEqualTo(Map.of(
                "vda", List.of("b", "c", "d", "e"), "vdb", List.of("b", "c", "d", "e")));
    }

    @Test
    void childrenOfTheCurrentTargetHandsCurrentToItsParent() {
        CheckpointTree tree = sample("b");

        tree.delete("b", EnumSet.of(CHILDREN));

        assertThat(shape(tree)).isEqualTo("a*(f)");
    }

    @Test
    void childrenKeepsACurrentCheckpointOutsideTheSubtree() {
        CheckpointTree tree = sample("f");

        DeletionPlan plan = tree.delete("b", EnumSet.of(CHILDREN));

        assertThat(shape(tree)).isEqualTo("a(f*)");
        assertThat(plan.currentAfter()).isEqualTo("f");
    }

    @Test
    void childrenOfARootHoldingTheCurrentLeavesNoCurrent() {
        CheckpointTree tree = sample("e");

        DeletionPlan plan = tree.delete("a", EnumSet.of(CHILDREN));

        assertThat(plan.removed()).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(shape(tree)).isEmpty();
        assertThat(tree.size()).isZero();
        assertThat(tree.currentName()).isEmpty();
    }

    @Test
    void childrenOnlyKeepsTheTargetAndMakesItCurrentWhenTheCurrentWasBelow() {
        CheckpointTree tree = sample("d");

        DeletionPlan plan = tree.delete("b", EnumSet.of(CHILDREN_ONLY));

        assertThat(plan.removed()).containsExactly("c", "d", "e");
        assertThat(shape(tree)).isEqualTo("a(b* f)");
        assertThat(plan.currentAfter()).isEqualTo("b");
        assertThat(plan.bitmapsByDisk()).isEqualTo(Map.of("vda", List.of("c", "d", "e"), "vdb", List.of("c", "d", "e")));
    }

    @Test
    void childrenOnlyKeepsTheTargetCurrentWhenItWasCurrent() {
        CheckpointTree tree = sample("b");

        tree.delete("b", EnumSet.of(CHILDREN_ONLY));

        assertThat(shape(tree)).isEqualTo("a(b* f)");
    }

    @Test
    void childrenOnlyKeepsACurrentCheckpointOutsideTheSubtree() {
        CheckpointTree tree = sample("f");

        tree.delete("b", EnumSet.of(CHILDREN_ONLY));

        assertThat(shape(tree)).isEqualTo("a(b f*)");
    }

    @Test
    void childrenOnlyOfALeafRemovesNothing() {
        CheckpointTree tree = sample("d");

        DeletionPlan plan = tree.delete("d", EnumSet.of(CHILDREN_ONLY));

        assertThat(plan.removed()).isEmpty();
        assertThat(plan.bitmapRemovals()).isEmpty();
        assertThat(shape(tree)).isEqualTo("a(b(c(d*) e) f)");
    }

    @Test
    void childrenOfALeafRemovesOnlyTheLeaf() {
        CheckpointTree tree = sample("d");

        DeletionPlan plan = tree.delete("d", EnumSet.of(CHILDREN));

        assertThat(plan.removed()).containsExactly("d");
        assertThat(shape(tree)).isEqualTo("a(b(c* e) f)");
    }

    @Test
    void metadataOnlyRemovesTheSameCheckpointsButNoBitmaps() {
        CheckpointTree plain = sample("d");
        CheckpointTree children = sample("d");
        CheckpointTree childrenOnly = sample("d");

        DeletionPlan plainPlan = plain.delete("b", EnumSet.of(METADATA_ONLY));
        DeletionPlan childrenPlan = children.delete("b", EnumSet.of(METADATA_ONLY, CHILDREN));
        DeletionPlan childrenOnlyPlan = childrenOnly.delete("b", EnumSet.of(METADATA_ONLY, CHILDREN_ONLY));

        assertThat(plainPlan.removed()).containsExactly("b");
        assertThat(shape(plain)).isEqualTo("a(c(d*) e f)");
        assertThat(childrenPlan.removed()).containsExactly("b", "c", "d", "e");
        assertThat(shape(children)).isEqualTo("a*(f)");
        assertThat(childrenOnlyPlan.removed()).containsExactly("c", "d", "e");
        assertThat(shape(childrenOnly)).isEqualTo("a(b* f)");
        for (DeletionPlan plan : List.of(plainPlan, childrenPlan, childrenOnlyPlan)) {
            assertThat(plan.metadataOnly()).isTrue();
            assertThat(plan.bitmapRemovals()).isEmpty();
            assertThat(plan.bitmapsByDisk()).isEmpty();
        }
    }

    @Test
    void childrenTogetherWithChildrenOnlyIsRefusedBeforeTheNameIsLookedUp() {
        CheckpointTree tree = sample("d");
        String message = "Flags 'VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN' and "
                + "'VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY' are mutually exclusive";

        assertLibvirtError(() -> tree.delete("b", EnumSet.of(CHILDREN, CHILDREN_ONLY)),
                "VIR_ERR_INVALID_ARG", 8, message);
        assertLibvirtError(() -> tree.delete("nope", EnumSet.of(CHILDREN, CHILDREN_ONLY, METADATA_ONLY)),
                "VIR_ERR_INVALID_ARG", 8, message);
        assertThat(shape(tree)).isEqualTo("a(b(c(d*) e) f)");
    }

    @Test
    void unknownFlagBitsAreRefused() {
        CheckpointTree tree = sample("d");

        assertLibvirtError(() -> tree.delete("b", 8 | 1), "VIR_ERR_INVALID_ARG", 8,
                "unsupported flags (0x8) in function virDomainCheckpointDelete");
        assertThat(tree.size()).isEqualTo(6);
    }

    @Test
    void rawFlagBitsMeanTheSameAsTheEnum() {
        CheckpointTree tree = sample("d");

        DeletionPlan plan = tree.delete("b", 4 | 2);

        assertThat(plan.flags()).containsExactlyInAnyOrder(CHILDREN_ONLY, METADATA_ONLY);
        assertThat(plan.removed()).containsExactly("c", "d", "e");
    }

    @Test
    void anUnknownCheckpointIsNotFound() {
        CheckpointTree tree = sample("d");

        assertLibvirtError(() -> tree.delete("zz", NONE), "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103,
                "no domain checkpoint with matching name 'zz'");
    }

    @Test
    void planningChangesNothing() {
        CheckpointTree tree = sample("d");
        CheckpointTree untouched = sample("d");

        DeletionPlan plan = tree.planDeletion("b", EnumSet.of(CHILDREN));

        assertThat(plan.removed()).containsExactly("b", "c", "d", "e");
        assertThat(tree).isEqualTo(untouched);
        assertThat(tree.delete("b", EnumSet.of(CHILDREN))).isEqualTo(plan);
    }

    @Test
    void onlyBitmapDisksAreRemovedAndKnownMissingBitmapsAreMarked() {
        CheckpointTree tree = CheckpointTree.empty("vm");
        tree.create(new CheckpointDefinition("a", null, null, 100L, List.of(
                new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "a", null),
                new CheckpointDisk("vdb", CheckpointDiskMode.BITMAP, "a", null),
                new CheckpointDisk("vdc", CheckpointDiskMode.BITMAP, "a", null),
                new CheckpointDisk("vdd", CheckpointDiskMode.NO, null, null)), null), "c");
        tree.markBroken("a", List.of(new BrokenBitmap("vda", "a", BitmapProblem.MISSING, "gone"),
                new BrokenBitmap("vdb", "a", BitmapProblem.INCONSISTENT, "in-use")));

        DeletionPlan plan = tree.planDeletion("a", NONE);

        assertThat(plan.bitmapRemovals()).containsExactly(
                new BitmapRemoval("a", "vda", "a", true),
                new BitmapRemoval("a", "vdb", "a", false),
                new BitmapRemoval("a", "vdc", "a", false));
    }

    @Test
    void reparentedChildrenKeepTheirHealth() {
        CheckpointTree tree = sample("d");
        BrokenBitmap broken = new BrokenBitmap("vda", "c", BitmapProblem.INCONSISTENT, "in-use");
        tree.markBroken("c", List.of(broken));

        tree.delete("b", NONE);

        assertThat(tree.lookup("c").health()).isEqualTo(CheckpointHealth.broken(List.of(broken)));
    }
}
