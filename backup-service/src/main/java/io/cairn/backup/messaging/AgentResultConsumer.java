package io.cairn.backup.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.backup.agent.AgentGateway;
import io.cairn.backup.service.BackupReports;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads cairn.agent.results, where agents put both answers to requests and backup job reports: answers go to the
 * gateway's waiting callers, reports to the jobs they describe, one at a time so a job's reports apply in order.
 */
@ApplicationScoped
public class AgentResultConsumer {
    private static final Logger LOG = Logger.getLogger(AgentResultConsumer.class);

    @Inject
    AgentGateway gateway;

    @Inject
    BackupReports reports;

    @Incoming("agent-results")
    public Uni<Void> consume(String payload) {
        AgentReport report;
        try {
            report = CairnJson.mapper().readValue(payload, AgentReport.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable agent report: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (report instanceof AgentResult result) {
            gateway.answer(result);
            return Uni.createFrom().voidItem();
        }
        if (report instanceof BackupJobReport jobReport) {
            // A failure here (database down) loses this report only: the next one carries the full state.
            return reports.apply(jobReport).onFailure().recoverWithItem(failure -> {
                LOG.errorf(failure, "backup job %s report #%d not applied", jobReport.jobId(), jobReport.sequence());
                return null;
            });
        }
        return Uni.createFrom().voidItem();
    }
}
