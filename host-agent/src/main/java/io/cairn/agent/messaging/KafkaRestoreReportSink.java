package io.cairn.agent.messaging;

import io.cairn.agent.restore.RestoreReportSink;
import io.cairn.events.agent.RestoreJobReport;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Sends restore reports to the services on its host's results topic. */
@ApplicationScoped
public class KafkaRestoreReportSink implements RestoreReportSink {
    private static final Logger LOG = Logger.getLogger(KafkaRestoreReportSink.class);

    @Inject
    AgentResultPublisher publisher;

    @Override
    public void publish(RestoreJobReport report) {
        // Never wait here: a lost progress report is covered by the next (sequence); a lost last one by the
        // service's silence bound.
        publisher.publish(report, Context.current()).subscribe().with(ignored -> { },
                failure -> LOG.errorf("restore %s report #%d not published: %s", report.restoreId(),
                        report.sequence(), failure.getMessage()));
    }
}
