package io.cairn.backup.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backup.repository.BackupJobEntity;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The row mapping keeps every field, keeps disk order, and leaves unchanged columns untouched. */
class BackupJobMapperTest {
    private static final Instant T0 = Instant.parse("2026-11-25T21:00:00Z");
    private final BackupJobMapper mapper = new BackupJobMapper();

    @Test
    void aJobSurvivesTheRowRoundTripWithItsDisksInOrder() {
        BackupJob job = runningJob("vdc", "vda", "vdb");

        BackupJobEntity row = mapper.toNewEntity(job, 42);
        BackupJob back = mapper.toModel(row);

        assertThat(back.snapshot()).isEqualTo(job.snapshot());
        assertThat(back.disks()).extracting(d -> d.disk()).containsExactly("vdc", "vda", "vdb");
        assertThat(mapper.toTicket(row).arrival()).isEqualTo(42);
        assertThat(row.statistics).contains("\"disk_total\":300").contains("\"time_elapsed\":2000");
        assertThat(row.disks).startsWith("{\"disks\":[");
    }

    @Test
    void unchangedValuesKeepTheStoredRepresentation() {
        BackupJob job = runningJob("vda");
        BackupJobEntity row = mapper.toNewEntity(job, 1);
        // as PostgreSQL returns them: jsonb re-encoded with spaces, timestamps in another offset
        row.disks = row.disks.replace(",", ", ").replace(":", ": ");
        row.startedAt = row.startedAt.withOffsetSameInstant(ZoneOffset.ofHours(2));
        String storedDisks = row.disks;
        OffsetDateTime storedStart = row.startedAt;

        mapper.copyInto(mapper.toModel(row), row);

        assertThat(row.disks).isSameAs(storedDisks);
        assertThat(row.startedAt).isSameAs(storedStart);
    }

    @Test
    void aChangeIsWrittenIntoTheRow() {
        BackupJob job = runningJob("vda");
        BackupJobEntity row = mapper.toNewEntity(job, 1);

        job.apply(new BackupJobReport(job.jobId(), "h", "d", "r", 2, BackupJobState.COMPLETED,
                List.of(new DiskJobReport("vda", DiskJobState.COMPLETE, 100, 100, null)), null, null, null, T0),
                T0.plusSeconds(5));
        mapper.copyInto(job, row);

        assertThat(row.state).isEqualTo("COMPLETED");
        assertThat(row.endedAt.toInstant()).isEqualTo(T0.plusSeconds(5));
        assertThat(row.lastReportSequence).isEqualTo(2L);
        assertThat(mapper.toModel(row).snapshot()).isEqualTo(job.snapshot());
    }

    @Test
    void aJobIsNeverWrittenIntoAnotherJobsRow() {
        BackupJobEntity other = mapper.toNewEntity(runningJob("vda"), 1);
        other.jobId = "someone-else";

        assertThatThrownBy(() -> mapper.copyInto(runningJob("vda"), other))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static BackupJob runningJob(String... disks) {
        List<BackupDisk> plan = java.util.Arrays.stream(disks)
                .map(d -> new BackupDisk(d, true, null, null, null, null, null, null)).toList();
        BackupJob job = BackupJob.queue(new JobRequest("job-1", "d", "h", "c",
                new BackupDefinition(BackupMode.PUSH, null, null, plan), null, false), T0);
        job.start(T0);
        List<DiskJobReport> running = java.util.Arrays.stream(disks)
                .map(d -> new DiskJobReport(d, DiskJobState.RUNNING, 0, 100, null)).toList();
        job.apply(new BackupJobReport("job-1", "h", "d", "r", 1, BackupJobState.RUNNING, running, null, null, null,
                T0), T0.plusSeconds(2));
        return job;
    }
}
