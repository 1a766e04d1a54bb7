package io.cairn.backup.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.backup.repository.BackupJobEntity;
import io.cairn.backup.service.job.AdmissionTicket;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.BackupJobSnapshot;
import io.cairn.backup.service.job.DiskJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.CheckpointDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Converts between the backup job model and its row. JSON columns use Cairn's wire format (CairnJson), so a stored
 * definition or statistics object reads exactly like the one on the topics.
 */
@ApplicationScoped
public class BackupJobMapper {
    /**
     * The disks column holds an object wrapping the list: the reactive PostgreSQL client decodes a jsonb column
     * mapped to text as a JSON object and refuses a top-level array, and an object keyed by disk would lose the
     * disks' order (jsonb sorts keys).
     */
    record StoredDisks(List<DiskJob> disks) {
        StoredDisks {
            disks = disks == null ? List.of() : List.copyOf(disks);
        }
    }

    private final ObjectMapper json = CairnJson.newMapper();

    public BackupJob toModel(BackupJobEntity row) {
        return BackupJob.restore(new BackupJobSnapshot(
                row.jobId,
                row.domain,
                row.hostId,
                row.commandId,
                BackupMode.valueOf(row.mode),
                read(row.definition, BackupDefinition.class),
                row.checkpoint == null ? null : read(row.checkpoint, CheckpointDefinition.class),
                row.reuseExternal,
                JobState.valueOf(row.state),
                read(row.disks, StoredDisks.class).disks(),
                row.error,
                row.statistics == null ? null : read(row.statistics, BackupStatistics.class),
                instant(row.requestedAt),
                instant(row.startedAt),
                instant(row.endedAt),
                instant(row.lastReportAt),
                row.lastReportSequence,
                instant(row.abortRequestedAt),
                instant(row.lastProgressAt),
                row.abortCommandId));
    }

    /** A row for a job not stored yet. */
    public BackupJobEntity toNewEntity(BackupJob job, long arrival) {
        BackupJobSnapshot snapshot = job.snapshot();
        BackupJobEntity row = new BackupJobEntity();
        row.jobId = snapshot.jobId();
        row.domain = snapshot.domain();
        row.hostId = snapshot.hostId();
        row.commandId = snapshot.commandId();
        row.mode = snapshot.mode().name();
        row.arrival = arrival;
        row.definition = write(snapshot.definition());
        row.checkpoint = snapshot.checkpoint() == null ? null : write(snapshot.checkpoint());
        row.checkpointName = snapshot.checkpoint() == null ? null : snapshot.checkpoint().name();
        row.reuseExternal = snapshot.reuseExternal();
        row.requestedAt = offset(snapshot.requestedAt());
        copyProgress(snapshot, row);
        return row;
    }

    /** Writes what a model change can alter; identity, definition and arrival never change after creation. */
    public void copyInto(BackupJob job, BackupJobEntity row) {
        BackupJobSnapshot snapshot = job.snapshot();
        if (!snapshot.jobId().equals(row.jobId)) {
            throw new IllegalArgumentException("job " + snapshot.jobId() + " cannot be written into row " + row.jobId);
        }
        copyProgress(snapshot, row);
    }

    public AdmissionTicket toTicket(BackupJobEntity row) {
        return new AdmissionTicket(row.jobId, row.domain, row.hostId, row.arrival);
    }

    /*
     * Assigns a column only when its value really changed: PostgreSQL hands jsonb back re-encoded and timestamps with
     * its own offset, so blind assignment would make Hibernate write (and bump the version) on changes that changed
     * nothing, e.g. an ignored late report.
     */
    private void copyProgress(BackupJobSnapshot snapshot, BackupJobEntity row) {
        row.state = snapshot.state().name();
        row.disks = sameJsonOr(row.disks, write(new StoredDisks(snapshot.disks())));
        row.statistics = sameJsonOr(row.statistics,
                snapshot.statistics() == null ? null : write(snapshot.statistics()));
        row.error = snapshot.firstError();
        row.startedAt = sameInstantOr(row.startedAt, snapshot.startedAt());
        row.endedAt = sameInstantOr(row.endedAt, snapshot.endedAt());
        row.lastReportAt = sameInstantOr(row.lastReportAt, snapshot.lastReportAt());
        row.lastReportSequence = snapshot.lastSequence();
        row.abortRequestedAt = sameInstantOr(row.abortRequestedAt, snapshot.abortRequested());
        row.lastProgressAt = sameInstantOr(row.lastProgressAt, snapshot.lastProgressAt());
        row.abortCommandId = snapshot.abortCommandId();
    }

    private String sameJsonOr(String stored, String wanted) {
        if (stored == null || wanted == null) {
            return wanted;
        }
        try {
            return json.readTree(stored).equals(json.readTree(wanted)) ? stored : wanted;
        } catch (JsonProcessingException e) {
            return wanted;
        }
    }

    private static OffsetDateTime sameInstantOr(OffsetDateTime stored, Instant wanted) {
        if (stored != null && wanted != null && stored.toInstant().equals(wanted)) {
            return stored;
        }
        return offset(wanted);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not valid JSON", e);
        }
    }


    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime offset(Instant time) {
        return time == null ? null : time.atOffset(ZoneOffset.UTC);
    }
}
