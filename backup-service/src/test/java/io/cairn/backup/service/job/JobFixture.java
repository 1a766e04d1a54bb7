package io.cairn.backup.service.job;

import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Builds jobs and agent reports for the model tests, so each test states only what it is about. */
final class JobFixture {
    static final Instant T0 = Instant.parse("2026-11-25T21:00:00Z");
    static final String JOB = "job-1";
    static final String DOMAIN = "vm-1";
    static final String HOST = "host-a";

    private JobFixture() {
    }

    static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0);
    }

    static BackupDefinition definition(BackupMode mode, String... disks) {
        BackupServer server = mode == BackupMode.PULL ? new BackupServer("unix", null, null, "/run/b.sock", null, null)
                : null;
        List<BackupDisk> plan = Arrays.stream(disks)
                .map(disk -> new BackupDisk(disk, true, null, null, null, null, null, null)).toList();
        return new BackupDefinition(mode, null, server, plan);
    }

    static BackupJob queued(BackupMode mode, String... disks) {
        return BackupJob.queue(new JobRequest(JOB, DOMAIN, HOST, "cmd-1", definition(mode, disks), null, false), T0);
    }

    /** A job whose start request went out at T0. */
    static BackupJob starting(BackupMode mode, String... disks) {
        BackupJob job = queued(mode, disks);
        job.start(T0);
        return job;
    }

    /** A job the agent reported running (sequence 1, at T0+1s) with every disk running at 0 of 100 bytes. */
    static BackupJob running(BackupMode mode, String... disks) {
        BackupJob job = starting(mode, disks);
        DiskJobReport[] running = Arrays.stream(disks).map(disk -> disk(disk, DiskJobState.RUNNING, 0, 100))
                .toArray(DiskJobReport[]::new);
        job.apply(report(1, BackupJobState.RUNNING, running), at(1));
        return job;
    }

    static DiskJobReport disk(String name, DiskJobState state, long processed, long total) {
        return new DiskJobReport(name, state, processed, total, null);
    }

    static DiskJobReport failedDisk(String name, String error) {
        return new DiskJobReport(name, DiskJobState.FAILED, 10, 100, error);
    }

    static BackupJobReport report(long sequence, BackupJobState state, DiskJobReport... disks) {
        return reportWithError(sequence, state, null, disks);
    }

    static BackupJobReport reportWithError(long sequence, BackupJobState state, String error,
            DiskJobReport... disks) {
        return new BackupJobReport(JOB, HOST, DOMAIN, "req-1", sequence, state, List.of(disks), null, null, error,
                at(sequence));
    }
}
