package io.cairn.agent.backup;

import io.cairn.events.agent.BackupJobReport;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Stands in for the messaging layer's sink until one exists, so the agent still starts and reports are visible. */
@DefaultBean
@ApplicationScoped
public class LoggingJobReportSink implements JobReportSink {

    private static final Logger LOG = Logger.getLogger(LoggingJobReportSink.class);

    @Override
    public void publish(BackupJobReport report) {
        LOG.infof("backup job %s #%d %s %s", report.jobId(), report.sequence(), report.state(),
                report.error() == null ? "" : report.error());
    }
}
