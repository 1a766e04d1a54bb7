package io.cairn.checkpoint.mapping;

import io.cairn.checkpoint.repository.CheckpointEntity;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.checkpoint.service.lineage.CheckpointHealth;
import io.cairn.checkpoint.service.lineage.CheckpointTree;
import io.cairn.checkpoint.service.lineage.HealthStatus;
import io.cairn.events.model.CheckpointDefinition;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Converts between stored rows and the pure lineage model, so the model never sees JPA and rows never hold rules. */
public final class LineageMapper {
    private LineageMapper() {
    }

    public static CheckpointTree toTree(String domain, List<CheckpointEntity> rows, String currentCheckpoint) {
        List<Checkpoint> checkpoints = new ArrayList<>(rows.size());
        for (CheckpointEntity row : rows) {
            checkpoints.add(toCheckpoint(row));
        }
        return CheckpointTree.restore(domain, checkpoints, currentCheckpoint);
    }

    public static Checkpoint toCheckpoint(CheckpointEntity row) {
        CheckpointDefinition definition = new CheckpointDefinition(row.name, row.description, row.parentName,
                row.creationTime, CheckpointJson.disks(row.disks), row.domainXml);
        HealthStatus status = HealthStatus.valueOf(row.health);
        CheckpointHealth health = status == HealthStatus.ACTIVE ? CheckpointHealth.ACTIVE
                : CheckpointHealth.broken(CheckpointJson.brokenDisks(row.brokenDisks));
        return new Checkpoint(definition, health, row.createdByCommand);
    }

    /** A new row for a checkpoint of {@code domain}. */
    public static CheckpointEntity newRow(String domain, Checkpoint checkpoint, OffsetDateTime now) {
        CheckpointEntity row = new CheckpointEntity();
        row.domain = domain;
        row.createdAt = now;
        update(row, checkpoint, now);
        return row;
    }

    /** Copies a checkpoint into its row; identity, domain and creation stamp stay. */
    public static void update(CheckpointEntity row, Checkpoint checkpoint, OffsetDateTime now) {
        CheckpointDefinition definition = checkpoint.definition();
        row.name = definition.name();
        row.parentName = definition.parent();
        row.creationTime = checkpoint.creationTime();
        row.description = definition.description();
        row.disks = CheckpointJson.disks(definition.disks());
        row.domainXml = definition.domainXml();
        row.health = checkpoint.health().status().name();
        row.brokenDisks = CheckpointJson.brokenDisks(checkpoint.health().brokenDisks());
        row.createdByCommand = checkpoint.createdBy();
        row.updatedAt = now;
    }
}
