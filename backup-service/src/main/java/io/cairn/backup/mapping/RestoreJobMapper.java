package io.cairn.backup.mapping;

import static io.cairn.backup.mapping.JsonColumns.instant;
import static io.cairn.backup.mapping.JsonColumns.read;
import static io.cairn.backup.mapping.JsonColumns.time;
import static io.cairn.backup.mapping.JsonColumns.write;

import io.cairn.backup.repository.RestoreJobEntity;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreState;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.event.ArtifactVerdict;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.RestoreMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Converts between the restore model and its row; the JSON columns hold the contract's records in wire format. */
@ApplicationScoped
public class RestoreJobMapper {
    /** Lists are stored wrapped in an object, like the backup job's disks (the column may become jsonb). */
    record StoredPlan(List<DiskRestorePlan> disks) {
    }

    record StoredResult(List<RestoredDisk> disks) {
    }

    record StoredVerdicts(List<ArtifactVerdict> artifacts) {
    }

    public RestoreJobEntity toNewEntity(RestoreJob job) {
        RestoreJobEntity row = new RestoreJobEntity();
        row.restoreId = job.restoreId();
        row.commandId = job.commandId();
        row.domain = job.domain();
        row.hostId = job.hostId();
        row.checkpoint = job.checkpoint();
        row.mode = job.mode().name();
        row.plan = write(new StoredPlan(job.plan()));
        row.requestedAt = time(job.requestedAt());
        row.expiresAt = job.expiresAt().map(JsonColumns::time).orElse(null);
        row.jobId = job.registeredJobId().orElse(null);
        copyInto(job, row);
        return row;
    }

    /** Copies what a change can alter; the identity and the plan never change. */
    public void copyInto(RestoreJob job, RestoreJobEntity row) {
        row.state = job.state().name();
        row.bytesTotal = job.bytesTotal();
        row.bytesDone = job.bytesDone();
        row.lastSequence = job.lastSequence();
        row.result = job.result().isEmpty() ? null : write(new StoredResult(job.result()));
        row.verdicts = job.verdicts().isEmpty() ? null : write(new StoredVerdicts(job.verdicts()));
        row.error = job.error().map(JsonColumns::write).orElse(null);
        row.lastReportAt = job.lastReportAt().map(JsonColumns::time).orElse(null);
        row.progressPublishedAt = job.progressPublishedAt().map(JsonColumns::time).orElse(null);
        row.endedAt = job.endedAt().map(JsonColumns::time).orElse(null);
        row.endCommandId = job.endCommandId().orElse(null);
        row.endRequestedAt = job.endRequestedAt().map(JsonColumns::time).orElse(null);
    }

    public RestoreJob toModel(RestoreJobEntity row) {
        return new RestoreJob(row.restoreId, row.commandId, row.domain, row.hostId, row.checkpoint,
                RestoreMode.valueOf(row.mode), read(row.plan, StoredPlan.class).disks(),
                row.requestedAt.toInstant(), RestoreState.valueOf(row.state), row.bytesTotal, row.bytesDone,
                row.lastSequence, row.result == null ? List.of() : read(row.result, StoredResult.class).disks(),
                row.verdicts == null ? List.of() : read(row.verdicts, StoredVerdicts.class).artifacts(),
                row.error == null ? null : read(row.error, ErrorInfo.class), instant(row.lastReportAt),
                instant(row.progressPublishedAt), instant(row.endedAt), instant(row.expiresAt), row.endCommandId,
                instant(row.endRequestedAt), row.jobId);
    }
}
