package io.cairn.agent.backup;

import static org.awaitility.Awaitility.await;

import io.cairn.agent.restore.RestoreReportSink;
import io.cairn.agent.retention.RetentionReportSink;
import io.cairn.events.agent.RetentionJobReport;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.RestoreJobReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every backup job and restore report so tests can wait for a job's end and check sequence and terminal rules. */
public final class RecordingSink implements JobReportSink, RestoreReportSink, RetentionReportSink {

    private final List<BackupJobReport> reports = new CopyOnWriteArrayList<>();
    private final List<RestoreJobReport> restoreReports = new CopyOnWriteArrayList<>();

    @Override
    public void publish(RestoreJobReport report) {
        restoreReports.add(report);
    }

    public List<RestoreJobReport> restoreReportsOf(String restoreId) {
        return restoreReports.stream().filter(report -> report.restoreId().equals(restoreId)).toList();
    }

    public RestoreJobReport awaitRestoreEnd(String restoreId, Duration atMost) {
        await("last report of restore " + restoreId).atMost(atMost)
                .until(() -> restoreReportsOf(restoreId).stream().anyMatch(report -> report.state().isTerminal()));
        return restoreReportsOf(restoreId).stream().filter(report -> report.state().isTerminal()).findFirst()
                .orElseThrow();
    }

    private final List<RetentionJobReport> retentionReports = new CopyOnWriteArrayList<>();

    @Override
    public void publish(RetentionJobReport report) {
        retentionReports.add(report);
    }

    public List<RetentionJobReport> retentionReportsOf(String runId) {
        return retentionReports.stream().filter(report -> report.runId().equals(runId)).toList();
    }

    public RetentionJobReport awaitRetentionEnd(String runId, Duration atMost) {
        await("last report of retention run " + runId).atMost(atMost)
                .until(() -> retentionReportsOf(runId).stream().anyMatch(report -> report.state().isTerminal()));
        return retentionReportsOf(runId).stream().filter(report -> report.state().isTerminal()).findFirst()
                .orElseThrow();
    }

    @Override
    public void publish(BackupJobReport report) {
        reports.add(report);
    }

    public List<BackupJobReport> of(String jobId) {
        return reports.stream().filter(report -> report.jobId().equals(jobId)).toList();
    }

    public BackupJobReport awaitTerminal(String jobId, Duration atMost) {
        await("terminal report of " + jobId).atMost(atMost)
                .until(() -> of(jobId).stream().anyMatch(report -> report.state().isTerminal()));
        return of(jobId).stream().filter(report -> report.state().isTerminal()).findFirst().orElseThrow();
    }
}
