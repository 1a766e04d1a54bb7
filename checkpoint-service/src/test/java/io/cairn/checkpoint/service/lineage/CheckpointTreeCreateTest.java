package io.cairn.checkpoint.service.lineage;

import static io.cairn.checkpoint.service.lineage.LineageFixture.DOMAIN;
import static io.cairn.checkpoint.service.lineage.LineageFixture.assertLibvirtError;
import static io.cairn.checkpoint.service.lineage.LineageFixture.lineageWithCurrent;
import static io.cairn.checkpoint.service.lineage.LineageFixture.newCheckpoint;
import static io.cairn.checkpoint.service.lineage.LineageFixture.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** virDomainCheckpointCreateXML without REDEFINE: the parent is the current checkpoint and the new one becomes current. */
class CheckpointTreeCreateTest {

    @Test
    void firstCheckpointIsARootAndBecomesCurrent() {
        CheckpointTree tree = CheckpointTree.empty(DOMAIN);

        Checkpoint created = tree.create(newCheckpoint("a", 100), "cmd-1");

        assertThat(shape(tree)).isEqualTo("a*");
        assertThat(created.parent()).isNull();
        assertThat(created.createdBy()).isEqualTo("cmd-1");
        assertThat(created.health()).isEqualTo(CheckpointHealth.ACTIVE);
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    void eachNewCheckpointIsAChildOfTheCurrentOne() {
        CheckpointTree tree = CheckpointTree.empty(DOMAIN);

        tree.create(newCheckpoint("a", 100), "cmd-1");
        tree.create(newCheckpoint("b", 200), "cmd-2");
        Checkpoint c = tree.create(newCheckpoint("c", 300), "cmd-3");

        assertThat(shape(tree)).isEqualTo("a(b(c*))");
        assertThat(c.parent()).isEqualTo("b");
        assertThat(tree.currentName()).contains("c");
    }

    @Test
    void aCurrentCheckpointInsideTheTreeGetsASecondChild() {
        CheckpointTree tree = lineageWithCurrent("a", "a", "b<a");

        tree.create(newCheckpoint("c", 300), "cmd-3");

        assertThat(shape(tree)).isEqualTo("a(b c*)");
    }

    @Test
    void aTreeWithoutCurrentCheckpointGetsANewRoot() {
        CheckpointTree tree = lineageWithCurrent(null, "a", "b<a");

        Checkpoint created = tree.create(newCheckpoint("c", 300), "cmd-3");

        assertThat(created.parent()).isNull();
        assertThat(shape(tree)).isEqualTo("a(b) c*");
    }

    @Test
    void aParentGivenOnCreateIsIgnoredAsLibvirtIgnoresIt() {
        CheckpointTree tree = lineageWithCurrent("b", "a", "b<a");
        CheckpointDefinition withParent = new CheckpointDefinition("c", null, "a", 300L, null, null);

        Checkpoint created = tree.create(withParent, "cmd-3");

        assertThat(created.parent()).isEqualTo("b");
        assertThat(shape(tree)).isEqualTo("a(b(c*))");
    }

    @Test
    void aDuplicateNameIsRefusedWithLibvirtsErrorAndChangesNothing() {
        CheckpointTree tree = lineageWithCurrent("b", "a", "b<a");

        assertLibvirtError(() -> tree.create(newCheckpoint("a", 300), "cmd-3"),
                "VIR_ERR_OPERATION_FAILED", 9, "domain moment a already exists");

        assertThat(shape(tree)).isEqualTo("a(b*)");
        assertThat(tree.lookup("a").createdBy()).isEqualTo("cmd-a");
    }

    @Test
    void disksGetLibvirtsDefaultsAndNoStoredSize() {
        CheckpointTree tree = CheckpointTree.empty(DOMAIN);
        CheckpointDefinition definition = new CheckpointDefinition("a", "nightly", null, 100L, List.of(
                new CheckpointDisk("vda", null, null, 42L),
                new CheckpointDisk("vdb", CheckpointDiskMode.BITMAP, "custom", null),
                new CheckpointDisk("vdc", CheckpointDiskMode.NO, null, null)), "<domain/>");

        Checkpoint created = tree.create(definition, "cmd-1");

        assertThat(created.definition().disks()).containsExactly(
                new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "a", null),
                new CheckpointDisk("vdb", CheckpointDiskMode.BITMAP, "custom", null),
                new CheckpointDisk("vdc", CheckpointDiskMode.NO, null, null));
        assertThat(created.definition().description()).isEqualTo("nightly");
        assertThat(created.definition().creationTime()).isEqualTo(100L);
        assertThat(created.definition().domainXml()).isEqualTo("<domain/>");
    }
}
