package io.cairn.checkpoint.service.lineage;

import static io.cairn.checkpoint.service.lineage.LineageFixture.DOMAIN;
import static io.cairn.checkpoint.service.lineage.LineageFixture.assertLibvirtError;
import static io.cairn.checkpoint.service.lineage.LineageFixture.definition;
import static io.cairn.checkpoint.service.lineage.LineageFixture.lineageWithCurrent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lookup, parent, health marks, and rebuilding a stored lineage. */
class CheckpointTreeLookupTest {
    private final CheckpointTree tree = lineageWithCurrent("b", "a", "b<a");

    @Test
    void lookupFindsACheckpointByName() {
        assertThat(tree.lookup("b").definition()).isEqualTo(definition("b", "a", 200));
        assertThat(tree.contains("b")).isTrue();
        assertThat(tree.contains("zz")).isFalse();
    }

    @Test
    void lookupOfAnUnknownNameIsLibvirtsNoCheckpointError() {
        assertLibvirtError(() -> tree.lookup("zz"), "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103,
                "no domain checkpoint with matching name 'zz'");
    }

    @Test
    void parentOfAChildIsItsParent() {
        assertThat(tree.parent("b").name()).isEqualTo("a");
    }

    @Test
    void aRootHasNoParent() {
        assertLibvirtError(() -> tree.parent("a"), "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103,
                "checkpoint 'a' does not have a parent");
        assertLibvirtError(() -> tree.parent("zz"), "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103,
                "no domain checkpoint with matching name 'zz'");
    }

    @Test
    void aCheckpointCanBeMarkedBrokenAndActiveAgain() {
        BrokenBitmap missing = new BrokenBitmap("vda", "a", BitmapProblem.MISSING, "not in image");

        Checkpoint broken = tree.markBroken("a", List.of(missing));
        assertThat(broken.health().status()).isEqualTo(HealthStatus.BROKEN);
        assertThat(tree.lookup("a").health().brokenDisks()).containsExactly(missing);

        assertThat(tree.markActive("a").health()).isEqualTo(CheckpointHealth.ACTIVE);
        assertLibvirtError(() -> tree.markBroken("zz", List.of(missing)), "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103,
                "no domain checkpoint with matching name 'zz'");
    }

    @Test
    void healthMustBeConsistent() {
        assertThatThrownBy(() -> CheckpointHealth.broken(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckpointHealth(HealthStatus.ACTIVE,
                List.of(new BrokenBitmap("vda", "a", BitmapProblem.MISSING, "x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRestoredLineageEqualsTheOneItWasSavedFrom() {
        CheckpointTree copy = CheckpointTree.restore(DOMAIN, tree.checkpoints(), tree.currentName().orElse(null));

        assertThat(copy).isEqualTo(tree);
        assertThat(copy.hashCode()).isEqualTo(tree.hashCode());
        copy.markBroken("a", List.of(new BrokenBitmap("vda", "a", BitmapProblem.MISSING, "x")));
        assertThat(copy).isNotEqualTo(tree);
    }

    @Test
    void aStoredLineageThatIsNotATreeIsRefused() {
        Checkpoint orphan = new Checkpoint(definition("b", "missing", 200), null, null);
        Checkpoint x = new Checkpoint(definition("x", "y", 100), null, null);
        Checkpoint y = new Checkpoint(definition("y", "x", 200), null, null);
        Checkpoint a = new Checkpoint(definition("a", null, 100), null, null);

        assertLibvirtError(() -> CheckpointTree.restore(DOMAIN, List.of(orphan), null), "VIR_ERR_INTERNAL_ERROR", 1,
                "checkpoints of domain vm-test are inconsistent: parent missing of b is missing");
        assertLibvirtError(() -> CheckpointTree.restore(DOMAIN, List.of(a, x, y), null), "VIR_ERR_INTERNAL_ERROR", 1,
                "checkpoints of domain vm-test are inconsistent: the parent links form a cycle");
        assertLibvirtError(() -> CheckpointTree.restore(DOMAIN, List.of(a), "zz"), "VIR_ERR_INTERNAL_ERROR", 1,
                "checkpoints of domain vm-test are inconsistent: current checkpoint zz is missing");
        assertLibvirtError(() -> CheckpointTree.restore(DOMAIN, List.of(a, a), null), "VIR_ERR_INTERNAL_ERROR", 1,
                "checkpoints of domain vm-test are inconsistent: checkpoint a appears twice");
    }
}
