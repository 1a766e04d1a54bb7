package io.cairn.checkpoint.service.lineage;

import static io.cairn.checkpoint.service.lineage.LineageFixture.DOMAIN;
import static io.cairn.checkpoint.service.lineage.LineageFixture.assertLibvirtError;
import static io.cairn.checkpoint.service.lineage.LineageFixture.bitmapDisk;
import static io.cairn.checkpoint.service.lineage.LineageFixture.definition;
import static io.cairn.checkpoint.service.lineage.LineageFixture.lineageWithCurrent;
import static io.cairn.checkpoint.service.lineage.LineageFixture.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** virDomainCheckpointCreateXML with REDEFINE: libvirt's mandatory fields, parent and cycle checks, and current rules. */
class CheckpointTreeRedefineTest {

    @Test
    void aRedefinitionWithoutNameIsAnXmlError() {
        CheckpointTree tree = CheckpointTree.empty(DOMAIN);

        assertLibvirtError(() -> tree.redefine(new CheckpointDefinition(null, null, null, 100L, null, null), "c"),
                "VIR_ERR_XML_ERROR", 27, "a redefined checkpoint must have a name");
    }

    @Test
    void aRedefinitionWithoutCreationTimeIsAnInternalError() {
        CheckpointTree tree = CheckpointTree.empty(DOMAIN);

        assertLibvirtError(() -> tree.redefine(new CheckpointDefinition("a", null, null, null, null, null), "c"),
                "VIR_ERR_INTERNAL_ERROR", 1, "missing creationTime from existing checkpoint");
        assertThat(tree.size()).isZero();
    }

    @Test
    void aCheckpointCannotBeItsOwnParent() {
        CheckpointTree tree = lineageWithCurrent("a", "a");

        assertLibvirtError(() -> tree.redefine(definition("a", "a", 100), "c"),
                "VIR_ERR_INVALID_ARG", 8, "cannot set moment a as its own parent");
    }

    @Test
    void anUnknownParentIsRefused() {
        CheckpointTree tree = lineageWithCurrent("a", "a");

        assertLibvirtError(() -> tree.redefine(definition("b", "x", 200), "c"),
                "VIR_ERR_INVALID_ARG", 8, "parent x for moment b not found");
        assertThat(shape(tree)).isEqualTo("a*");
    }

    @Test
    void aCycleNamesTheAncestorWhoseParentIsTheRedefinedCheckpoint() {
        CheckpointTree tree = lineageWithCurrent("c", "a", "b<a", "c<b");

        assertLibvirtError(() -> tree.redefine(definition("a", "c", 100), "x"),
                "VIR_ERR_INVALID_ARG", 8, "parent b would create cycle to a");
        assertLibvirtError(() -> tree.redefine(definition("a", "b", 100), "x"),
                "VIR_ERR_INVALID_ARG", 8, "parent b would create cycle to a");
        assertLibvirtError(() -> tree.redefine(definition("b", "c", 200), "x"),
                "VIR_ERR_INVALID_ARG", 8, "parent c would create cycle to b");
        assertThat(shape(tree)).isEqualTo("a(b(c*))");
    }

    @Test
    void restoringOldestToNewestRebuildsTheChainWithTheNewestCurrent() {
        CheckpointTree tree = CheckpointTree.empty(DOMAIN);

        tree.redefine(definition("a", null, 100), "r1");
        assertThat(tree.currentName()).as("the first redefined checkpoint becomes current").contains("a");
        tree.redefine(definition("b", "a", 200), "r2");
        tree.redefine(definition("c", "b", 300), "r3");

        assertThat(shape(tree)).isEqualTo("a(b(c*))");
    }

    @Test
    void aRedefinedChildOfANonCurrentCheckpointDoesNotBecomeCurrent() {
        CheckpointTree tree = lineageWithCurrent("b", "a", "b<a");

        tree.redefine(definition("c", "a", 300), "r");
        tree.redefine(definition("d", null, 400), "r");

        assertThat(shape(tree)).isEqualTo("a(b* c) d");
    }

    @Test
    void aRedefinedRootBecomesCurrentOnlyWhenThereIsNoCurrent() {
        CheckpointTree tree = lineageWithCurrent(null, "a");

        tree.redefine(definition("b", null, 200), "r");

        assertThat(shape(tree)).isEqualTo("a b*");
    }

    @Test
    void redefiningAnExistingNameReplacesItInPlaceAndKeepsItsChildren() {
        CheckpointTree tree = lineageWithCurrent("c", "a", "b<a", "c<b");
        CheckpointDefinition replacement = new CheckpointDefinition("b", "moved", null, 250L,
                List.of(bitmapDisk("vda", "b")), null);

        Checkpoint redefined = tree.redefine(replacement, "r-b");

        assertThat(shape(tree)).isEqualTo("a b(c*)");
        assertThat(redefined.definition().description()).isEqualTo("moved");
        assertThat(redefined.definition().creationTime()).isEqualTo(250L);
        assertThat(redefined.createdBy()).isEqualTo("r-b");
        assertThat(tree.lookup("c").parent()).isEqualTo("b");
        assertThat(tree.size()).isEqualTo(3);
    }

    @Test
    void redefiningAnExistingNameUnderTheCurrentOneMakesItCurrent() {
        CheckpointTree tree = lineageWithCurrent("c", "a", "b<a", "c");

        tree.redefine(definition("a", "c", 100), "r");

        assertThat(shape(tree)).isEqualTo("c(a*(b))");
    }

    @Test
    void redefiningTheCurrentCheckpointElsewhereKeepsItCurrent() {
        CheckpointTree tree = lineageWithCurrent("b", "a", "b<a", "c");

        tree.redefine(definition("b", "c", 200), "r");

        assertThat(shape(tree)).isEqualTo("a c(b*)");
    }

    @Test
    void creationTimeIsKeptAsGivenAndBitmapNamesDefaultToTheCheckpointName() {
        CheckpointTree tree = CheckpointTree.empty(DOMAIN);
        CheckpointDefinition definition = new CheckpointDefinition("a", null, null, 7L, List.of(
                new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, null, null),
                new CheckpointDisk("vdb", CheckpointDiskMode.NO, null, null)), null);

        Checkpoint redefined = tree.redefine(definition, "r");

        assertThat(redefined.definition().creationTime()).isEqualTo(7L);
        assertThat(redefined.definition().disks()).containsExactly(
                new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "a", null),
                new CheckpointDisk("vdb", CheckpointDiskMode.NO, null, null));
    }

    @Test
    void aBrokenCheckpointStaysBrokenWhenRedefinedWithTheSameBitmaps() {
        CheckpointTree tree = lineageWithCurrent("a", "a");
        BrokenBitmap vda = new BrokenBitmap("vda", "a", BitmapProblem.MISSING, "no bitmap");
        tree.markBroken("a", List.of(vda));

        Checkpoint redefined = tree.redefine(definition("a", null, 100), "r");

        assertThat(redefined.health()).isEqualTo(CheckpointHealth.broken(List.of(vda)));
    }

    @Test
    void brokenDisksNoLongerInTheRedefinitionAreForgotten() {
        CheckpointTree tree = lineageWithCurrent("a", "a");
        BrokenBitmap vda = new BrokenBitmap("vda", "a", BitmapProblem.MISSING, "no bitmap");
        BrokenBitmap vdb = new BrokenBitmap("vdb", "a", BitmapProblem.INCONSISTENT, "in-use");
        tree.markBroken("a", List.of(vda, vdb));

        Checkpoint withoutVda = tree.redefine(new CheckpointDefinition("a", null, null, 100L, List.of(
                new CheckpointDisk("vda", CheckpointDiskMode.NO, null, null), bitmapDisk("vdb", "a")), null), "r");
        assertThat(withoutVda.health()).isEqualTo(CheckpointHealth.broken(List.of(vdb)));

        Checkpoint renamedBitmap = tree.redefine(new CheckpointDefinition("a", null, null, 100L,
                List.of(bitmapDisk("vdb", "other")), null), "r");
        assertThat(renamedBitmap.health()).isEqualTo(CheckpointHealth.ACTIVE);
    }
}
