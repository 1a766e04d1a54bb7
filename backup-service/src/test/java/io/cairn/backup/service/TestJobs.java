package io.cairn.backup.service;

import io.agroal.api.AgroalDataSource;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobRequest;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Jobs on made-up hosts for tests that need stored jobs but no agent, and the clean-up such jobs need. */
public final class TestJobs {

    private TestJobs() {
    }

    /** A queued full push of one disk, for a host no agent runs. */
    public static BackupJob pushJob(String domain, String host) {
        BackupDefinition definition = new BackupDefinition(BackupMode.PUSH, null, null, List.of(
                new BackupDisk("vda", true, DiskBackupMode.FULL, null, null, null,
                        new BackupStore("file", "/var/lib/backup/" + domain + ".vda.qcow2", "qcow2", null, null),
                        null)));
        String id = UUID.randomUUID().toString();
        return BackupJob.queue(new JobRequest(id, domain, host, "cmd-" + id, definition, null, false),
                Instant.now());
    }

    /**
     * Ends the jobs left active on hosts that do not exist (tests that stored them and never ran an agent): they
     * would hold fleet slots for every later test. Jobs of real test agents ({@code test-host-*}) are left alone.
     */
    public static void endActiveJobsOnMadeUpHosts(AgroalDataSource database, String endedBy) throws SQLException {
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(
                "update backup_job set state = 'FAILED', ended_at = now(), error = coalesce(error, ?), "
                        + "version = version + 1 where state in ('QUEUED', 'STARTING', 'RUNNING') "
                        + "and host_id not like 'test-host-%'")) {
            statement.setString(1, "ended by " + endedBy);
            statement.executeUpdate();
        }
    }
}
