package io.cairn.backup.mapping;

import static io.cairn.backup.mapping.JsonColumns.instant;
import static io.cairn.backup.mapping.JsonColumns.read;
import static io.cairn.backup.mapping.JsonColumns.time;
import static io.cairn.backup.mapping.JsonColumns.write;

import io.cairn.backup.repository.RetentionRunEntity;
import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.backup.service.retention.RetentionRunState;
import io.cairn.backup.service.retention.RetentionWork;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.MergedArtifactEntry;
import io.cairn.events.event.PrunedArtifactEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Converts between the retention run model and its row; the JSON columns hold the contract's records. */
@ApplicationScoped
public class RetentionRunMapper {
    record StoredMerged(List<MergedArtifactEntry> artifacts) {
    }

    record StoredDeleted(List<PrunedArtifactEntry> artifacts) {
    }

    public RetentionRunEntity toNewEntity(RetentionRun run) {
        RetentionRunEntity row = new RetentionRunEntity();
        row.runId = run.runId();
        row.commandId = run.commandId();
        row.domain = run.domain();
        row.requestedAt = time(run.requestedAt());
        copyInto(run, row);
        return row;
    }

    /** Copies what a change can alter; the identity never changes. */
    public void copyInto(RetentionRun run, RetentionRunEntity row) {
        row.hostId = run.hostId();
        row.state = run.state().name();
        row.work = run.work().map(JsonColumns::write).orElse(null);
        row.merged = run.merged().isEmpty() ? null : write(new StoredMerged(run.merged()));
        row.deleted = run.deleted().isEmpty() ? null : write(new StoredDeleted(run.deleted()));
        row.error = run.error().map(JsonColumns::write).orElse(null);
        row.lastSequence = run.lastSequence();
        row.lastReportAt = run.lastReportAt().map(JsonColumns::time).orElse(null);
        row.endedAt = run.endedAt().map(JsonColumns::time).orElse(null);
    }

    public RetentionRun toModel(RetentionRunEntity row) {
        return new RetentionRun(row.runId, row.commandId, row.domain, row.hostId,
                RetentionRunState.valueOf(row.state), row.work == null ? null : read(row.work, RetentionWork.class),
                row.merged == null ? List.of() : read(row.merged, StoredMerged.class).artifacts(),
                row.deleted == null ? List.of() : read(row.deleted, StoredDeleted.class).artifacts(),
                row.error == null ? null : read(row.error, ErrorInfo.class), row.lastSequence,
                row.requestedAt.toInstant(), instant(row.lastReportAt), instant(row.endedAt));
    }
}
