package io.cairn.agent.messaging;

import io.cairn.agent.backup.JobReportSink;
import io.cairn.events.agent.BackupJobReport;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Sends backup job reports to the services on its host's results topic, and refreshes the inventory when a job ends. */
@ApplicationScoped
public class KafkaJobReportSink implements JobReportSink {
    private static final Logger LOG = Logger.getLogger(KafkaJobReportSink.class);

    @Inject
    AgentResultPublisher publisher;

    @Inject
    InventoryPublisher inventory;

    @Inject
    AgentTracing tracing;

    @Override
    public void publish(BackupJobReport report) {
        // Called from QMP threads: never wait here; a lost report is covered by the next one (sequence) and by the
        // service's silence bound.
        // In the trace of the request that started the job (reports come from QMP threads, outside any trace).
        Context trace = tracing.jobTrace(report.jobId());
        if (report.state().isTerminal()) {
            tracing.jobEnded(report.jobId());
        }
        publisher.publish(report, trace).subscribe().with(
                ignored -> {
                    if (report.state().isTerminal()) {
                        inventory.publishNow(trace).subscribe().with(i -> { }, f -> { });
                    }
                },
                failure -> LOG.errorf("backup job %s report #%d not published: %s", report.jobId(),
                        report.sequence(), failure.getMessage()));
    }
}
