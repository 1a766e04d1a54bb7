package io.cairn.core.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.json.CairnJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the agents' answers to requests (cairn.agent.results, in a consumer group of this process alone, from the
 * newest record: only this process's own waiting callers care) and hands them to the {@link AgentGateway}. Job
 * reports on the same topic are the backup service's, read by a channel of its own with committed offsets.
 */
@ApplicationScoped
public class AgentAnswersConsumer {
    private static final Logger LOG = Logger.getLogger(AgentAnswersConsumer.class);

    @Inject
    AgentGateway gateway;

    @Incoming("agent-answers")
    public void consume(String payload) {
        try {
            if (CairnJson.mapper().readValue(payload, AgentReport.class) instanceof AgentResult result) {
                gateway.answer(result);
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable agent report: %s", e.getMessage());
        }
    }
}
