package io.cairn.checkpoint.service.lineage;

import static io.cairn.checkpoint.service.lineage.CheckpointListFlag.DESCENDANTS;
import static io.cairn.checkpoint.service.lineage.CheckpointListFlag.LEAVES;
import static io.cairn.checkpoint.service.lineage.CheckpointListFlag.NO_LEAVES;
import static io.cairn.checkpoint.service.lineage.CheckpointListFlag.ROOTS;
import static io.cairn.checkpoint.service.lineage.CheckpointListFlag.TOPOLOGICAL;
import static io.cairn.checkpoint.service.lineage.LineageFixture.DOMAIN;
import static io.cairn.checkpoint.service.lineage.LineageFixture.assertLibvirtError;
import static io.cairn.checkpoint.service.lineage.LineageFixture.definition;
import static io.cairn.checkpoint.service.lineage.LineageFixture.lineageWithCurrent;
import static io.cairn.checkpoint.service.lineage.LineageFixture.names;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** virDomainListAllCheckpoints and virDomainCheckpointListAllChildren for every flag and combination. */
class CheckpointTreeListingTest {

    /** a(b(c d) e) f(g) h, creation order a..h. */
    private final CheckpointTree tree = lineageWithCurrent("d", "a", "b<a", "c<b", "d<b", "e<a", "f", "g<f", "h");

    @Test
    void noFlagListsEveryCheckpointOldestFirst() {
        assertThat(names(tree.listAll())).containsExactly("a", "b", "c", "d", "e", "f", "g", "h");
        assertThat(names(tree.listAll(0))).containsExactly("a", "b", "c", "d", "e", "f", "g", "h");
    }

    @Test
    void rootsListsOnlyCheckpointsWithoutParent() {
        assertThat(names(tree.listAll(ROOTS))).containsExactly("a", "f", "h");
    }

    @Test
    void leavesAndNoLeavesSplitTheTree() {
        assertThat(names(tree.listAll(LEAVES))).containsExactly("c", "d", "e", "g", "h");
        assertThat(names(tree.listAll(NO_LEAVES))).containsExactly("a", "b", "f");
    }

    @Test
    void rootsCombineWithTheLeafFilters() {
        assertThat(names(tree.listAll(ROOTS, LEAVES))).containsExactly("h");
        assertThat(names(tree.listAll(ROOTS, NO_LEAVES))).containsExactly("a", "f");
    }

    @Test
    void leavesTogetherWithNoLeavesListsNothing() {
        assertThat(tree.listAll(LEAVES, NO_LEAVES)).isEmpty();
        assertThat(tree.listAll(ROOTS, LEAVES, NO_LEAVES)).isEmpty();
        assertThat(tree.listAll(TOPOLOGICAL, LEAVES, NO_LEAVES)).isEmpty();
        assertThat(tree.listChildren("a", DESCENDANTS, LEAVES, NO_LEAVES)).isEmpty();
        assertThat(tree.listChildren("a", LEAVES, NO_LEAVES)).isEmpty();
    }

    @Test
    void topologicalPutsParentsBeforeChildrenEvenWhenAChildIsOlder() {
        CheckpointTree restored = CheckpointTree.empty(DOMAIN);
        restored.redefine(definition("p", null, 500), "r");
        restored.redefine(definition("q", "p", 100), "r");
        restored.redefine(definition("r", null, 300), "r");
        restored.redefine(definition("s", "q", 50), "r");

        assertThat(names(restored.listAll())).containsExactly("s", "q", "r", "p");
        assertThat(names(restored.listAll(TOPOLOGICAL))).containsExactly("r", "p", "q", "s");
        assertThat(names(restored.listAll(TOPOLOGICAL, LEAVES))).containsExactly("r", "s");
        assertThat(names(restored.listAll(TOPOLOGICAL, NO_LEAVES))).containsExactly("p", "q");
        assertThat(names(restored.listAll(ROOTS, TOPOLOGICAL))).containsExactly("r", "p");
    }

    @Test
    void topologicalIsAPreOrderWalkWithSiblingsOldestFirst() {
        assertThat(names(tree.listAll(TOPOLOGICAL))).containsExactly("a", "b", "c", "d", "e", "f", "g", "h");
    }

    @Test
    void topologicalOrderHoldsOnALargeRandomTree() {
        CheckpointTree large = CheckpointTree.empty(DOMAIN);
        Random random = new Random(42);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String parent = created.isEmpty() || random.nextInt(10) == 0 ? null
                    : created.get(random.nextInt(created.size()));
            String name = "n" + i;
            large.redefine(definition(name, parent, random.nextInt(1000)), "r");
            created.add(name);
        }

        List<Checkpoint> ordered = large.listAll(TOPOLOGICAL);

        assertThat(ordered).hasSize(300);
        List<String> seen = new ArrayList<>();
        for (Checkpoint checkpoint : ordered) {
            if (checkpoint.parent() != null) {
                assertThat(seen).as("parent of %s listed first", checkpoint.name()).contains(checkpoint.parent());
            }
            seen.add(checkpoint.name());
        }
    }

    @Test
    void childrenAreTheDirectChildrenByDefault() {
        assertThat(names(tree.listChildren("a"))).containsExactly("b", "e");
        assertThat(names(tree.listChildren("b"))).containsExactly("c", "d");
        assertThat(tree.listChildren("c")).isEmpty();
        assertThat(names(tree.listChildren("a", TOPOLOGICAL))).containsExactly("b", "e");
    }

    @Test
    void descendantsAreTheWholeSubtreeWithoutTheCheckpointItself() {
        assertThat(names(tree.listChildren("a", DESCENDANTS))).containsExactly("b", "c", "d", "e");
        assertThat(names(tree.listChildren("a", DESCENDANTS, TOPOLOGICAL))).containsExactly("b", "c", "d", "e");
        assertThat(names(tree.listChildren("f", DESCENDANTS))).containsExactly("g");
        assertThat(tree.listChildren("h", DESCENDANTS)).isEmpty();
    }

    @Test
    void childrenCombineWithTheLeafFilters() {
        assertThat(names(tree.listChildren("a", LEAVES))).containsExactly("e");
        assertThat(names(tree.listChildren("a", NO_LEAVES))).containsExactly("b");
        assertThat(names(tree.listChildren("a", DESCENDANTS, LEAVES))).containsExactly("c", "d", "e");
        assertThat(names(tree.listChildren("a", DESCENDANTS, NO_LEAVES))).containsExactly("b");
    }

    @Test
    void descendantsWithoutTopologicalAreOldestFirst() {
        CheckpointTree restored = CheckpointTree.empty(DOMAIN);
        restored.redefine(definition("p", null, 500), "r");
        restored.redefine(definition("q", "p", 400), "r");
        restored.redefine(definition("s", "q", 50), "r");
        restored.redefine(definition("t", "p", 450), "r");

        assertThat(names(restored.listChildren("p", DESCENDANTS))).containsExactly("s", "q", "t");
        assertThat(names(restored.listChildren("p", DESCENDANTS, TOPOLOGICAL))).containsExactly("q", "s", "t");
    }

    @Test
    void anEmptyLineageListsNothing() {
        CheckpointTree empty = CheckpointTree.empty(DOMAIN);

        assertThat(empty.listAll()).isEmpty();
        assertThat(empty.listAll(ROOTS)).isEmpty();
        assertThat(empty.listAll(TOPOLOGICAL, LEAVES)).isEmpty();
    }

    @Test
    void unknownFlagBitsAreRefused() {
        assertLibvirtError(() -> tree.listAll(0x10 | 0x2), "VIR_ERR_INVALID_ARG", 8,
                "unsupported flags (0x10) in function virDomainListAllCheckpoints");
        assertLibvirtError(() -> tree.listChildren("a", 0x40), "VIR_ERR_INVALID_ARG", 8,
                "unsupported flags (0x40) in function virDomainCheckpointListAllChildren");
        assertLibvirtError(() -> tree.listChildren("nope", 0x20), "VIR_ERR_INVALID_ARG", 8,
                "unsupported flags (0x20) in function virDomainCheckpointListAllChildren");
    }

    @Test
    void childrenOfAnUnknownCheckpointAreNotFound() {
        assertLibvirtError(() -> tree.listChildren("nope"), "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103,
                "no domain checkpoint with matching name 'nope'");
    }

    @Test
    void listFlagsCarryLibvirtsValues() {
        assertThat(ROOTS.value()).isEqualTo(1);
        assertThat(DESCENDANTS.value()).isEqualTo(1);
        assertThat(TOPOLOGICAL.value()).isEqualTo(2);
        assertThat(LEAVES.value()).isEqualTo(4);
        assertThat(NO_LEAVES.value()).isEqualTo(8);
        assertThat(TOPOLOGICAL.libvirtName()).isEqualTo("VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL");
    }
}
