package io.cairn.agent.backup;

import static org.awaitility.Awaitility.await;

import io.cairn.events.agent.BackupJobReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every job report so tests can wait for a job's end and check sequence and terminal rules. */
public final class RecordingSink implements JobReportSink {

    private final List<BackupJobReport> reports = new CopyOnWriteArrayList<>();

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
