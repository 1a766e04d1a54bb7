package io.cairn.checkpoint.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.checkpoint.repository.CheckpointEntity;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.checkpoint.service.lineage.CheckpointHealth;
import io.cairn.checkpoint.service.lineage.CheckpointTree;
import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows and model convert both ways without loss, with the JSON shapes the migration documents. */
class LineageMapperTest {
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC);

    private static final Checkpoint BROKEN = new Checkpoint(new CheckpointDefinition("c2", "nightly", "c1", 200L,
            List.of(new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "c2", null),
                    new CheckpointDisk("vdb", CheckpointDiskMode.NO, null, null)), "<domain type='kvm'/>"),
            CheckpointHealth.broken(List.of(new BrokenBitmap("vda", "c2", BitmapProblem.INCONSISTENT, "in-use"))),
            "cmd-2");

    @Test
    void aCheckpointSurvivesARowRoundTrip() {
        CheckpointEntity row = LineageMapper.newRow("vm-1", BROKEN, NOW);

        assertThat(LineageMapper.toCheckpoint(row)).isEqualTo(BROKEN);
        assertThat(row.domain).isEqualTo("vm-1");
        assertThat(row.parentName).isEqualTo("c1");
        assertThat(row.health).isEqualTo("BROKEN");
        assertThat(row.createdAt).isEqualTo(NOW);
        assertThat(row.updatedAt).isEqualTo(NOW);
    }

    @Test
    void jsonColumnsUseLibvirtsSpellingsAndKeepDiskOrder() {
        CheckpointEntity row = LineageMapper.newRow("vm-1", BROKEN, NOW);

        assertThat(new JsonObject(row.disks)).isEqualTo(new JsonObject(
                "{\"disks\":[{\"name\":\"vda\",\"checkpoint\":\"bitmap\",\"bitmap\":\"c2\"},"
                        + "{\"name\":\"vdb\",\"checkpoint\":\"no\"}]}"));
        assertThat(new JsonObject(row.brokenDisks)).isEqualTo(new JsonObject(
                "{\"brokenDisks\":[{\"disk\":\"vda\",\"bitmap\":\"c2\",\"problem\":\"inconsistent\","
                        + "\"message\":\"in-use\"}]}"));
    }

    @Test
    void anActiveCheckpointWithoutDisksStoresNullColumns() {
        Checkpoint bare = new Checkpoint(new CheckpointDefinition("c1", null, null, 100L, null, null), null, null);

        CheckpointEntity row = LineageMapper.newRow("vm-1", bare, NOW);

        assertThat(row.disks).isNull();
        assertThat(row.brokenDisks).isNull();
        assertThat(row.health).isEqualTo("ACTIVE");
        assertThat(LineageMapper.toCheckpoint(row)).isEqualTo(bare);
    }

    @Test
    void rowsBecomeATreeWithTheStoredCurrentCheckpoint() {
        Checkpoint root = new Checkpoint(new CheckpointDefinition("c1", null, null, 100L, null, null), null, "cmd-1");
        List<CheckpointEntity> rows = List.of(LineageMapper.newRow("vm-1", BROKEN, NOW),
                LineageMapper.newRow("vm-1", root, NOW));

        CheckpointTree tree = LineageMapper.toTree("vm-1", rows, "c2");

        assertThat(tree.checkpoints()).containsExactly(root, BROKEN);
        assertThat(tree.currentName()).contains("c2");
    }

    @Test
    void updatingARowKeepsItsIdentityAndCreationStamp() {
        CheckpointEntity row = LineageMapper.newRow("vm-1", BROKEN, NOW);
        row.id = 7L;
        OffsetDateTime later = NOW.plusHours(1);
        Checkpoint healed = new Checkpoint(BROKEN.definition(), CheckpointHealth.ACTIVE, "cmd-3");

        LineageMapper.update(row, healed, later);

        assertThat(row.id).isEqualTo(7L);
        assertThat(row.createdAt).isEqualTo(NOW);
        assertThat(row.updatedAt).isEqualTo(later);
        assertThat(row.brokenDisks).isNull();
        assertThat(LineageMapper.toCheckpoint(row)).isEqualTo(healed);
    }
}
