package io.cairn.backup.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.backup.service.BackupReports;
import io.cairn.core.agent.ReportOrigin;
import io.cairn.core.config.CommandsConfig;
import io.cairn.core.failure.Failures;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RetentionJobReport;
import io.cairn.backup.service.RetentionReports;
import io.cairn.backup.service.RestoreReports;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the agents' backup job and restore reports from every host's cairn.agent.&lt;host&gt;.results (believed only from the
 * reporting host's own topic) in one consumer group for all replicas, with
 * committed offsets: a restarted or replaced service goes on from the last report it applied, so reports sent while
 * it was down are not lost. One domain's reports stay in order (they are keyed by domain). Answers to requests on
 * the same topic are the core's {@code AgentAnswersConsumer}'s.
 */
@ApplicationScoped
public class AgentResultConsumer {
    private static final Logger LOG = Logger.getLogger(AgentResultConsumer.class);

    @Inject
    BackupReports reports;

    @Inject
    RestoreReports restores;

    @Inject
    RetentionReports retention;

    @Inject
    CommandsConfig retries;

    @Inject
    ReportOrigin origin;

    @Incoming("agent-reports")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        AgentReport report;
        try {
            report = CairnJson.mapper().readValue(record.value(), AgentReport.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable agent report: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (report instanceof RestoreJobReport restoreReport && origin.resultIsGenuine(record.topic(),
                report.hostId())) {
            return Uni.createFrom().deferred(() -> restores.apply(restoreReport))
                    .onFailure(Failures::isTransient).retry().withBackOff(retries.retryFirst(), retries.retryMax())
                    .expireIn(retries.retryDeadline().toMillis())
                    .onFailure().recoverWithItem(failure -> {
                        LOG.errorf(failure, "restore %s report #%d not applied", restoreReport.restoreId(),
                                restoreReport.sequence());
                        return null;
                    });
        }
        if (report instanceof RetentionJobReport retentionReport && origin.resultIsGenuine(record.topic(),
                report.hostId())) {
            return Uni.createFrom().deferred(() -> retention.apply(retentionReport))
                    .onFailure(Failures::isTransient).retry().withBackOff(retries.retryFirst(), retries.retryMax())
                    .expireIn(retries.retryDeadline().toMillis())
                    .onFailure().recoverWithItem(failure -> {
                        LOG.errorf(failure, "retention run %s report #%d not applied", retentionReport.runId(),
                                retentionReport.sequence());
                        return null;
                    });
        }
        if (!(report instanceof BackupJobReport jobReport) || !origin.resultIsGenuine(record.topic(), report.hostId())) {
            return Uni.createFrom().voidItem();
        }
        // A database outage is waited out, so the report is applied once it is back; anything else loses this
        // report only, since the next one carries the job's full state.
        return Uni.createFrom().deferred(() -> reports.apply(jobReport))
                .onFailure(Failures::isTransient).retry().withBackOff(retries.retryFirst(), retries.retryMax())
                .expireIn(retries.retryDeadline().toMillis())
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf(failure, "backup job %s report #%d not applied", jobReport.jobId(),
                            jobReport.sequence());
                    return null;
                });
    }
}
