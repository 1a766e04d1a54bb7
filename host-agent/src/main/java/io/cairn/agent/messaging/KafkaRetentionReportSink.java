package io.cairn.agent.messaging;

import io.cairn.agent.retention.RetentionReportSink;
import io.cairn.events.agent.RetentionJobReport;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Sends retention reports to the services on its host's results topic, waiting for each to be acknowledged. */
@ApplicationScoped
public class KafkaRetentionReportSink implements RetentionReportSink {
    private static final Logger LOG = Logger.getLogger(KafkaRetentionReportSink.class);
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);

    @Inject
    AgentResultPublisher publisher;

    @Override
    public void publish(RetentionJobReport report) {
        // Waiting (on the run's own worker thread) keeps the files at most one step ahead of what the services
        // heard: a report lost anyway is made good by the next one, which lists every change so far.
        // The last report has no later one to make up for it: it is tried a few times.
        int attempts = report.state().isTerminal() ? 3 : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                publisher.publish(report, Context.current()).await().atMost(ACK_WAIT);
                return;
            } catch (RuntimeException e) {
                LOG.errorf("retention run %s report #%d not published (attempt %d of %d): %s", report.runId(),
                        report.sequence(), attempt, attempts, e.getMessage());
            }
        }
    }
}
