package io.cairn.core.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.json.CairnJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the agents' answers to requests (every host's cairn.agent.&lt;host&gt;.results, in a consumer group of this
 * process alone, from the newest record: only this process's own waiting callers care; see {@link AnswersFromNow})
 * and hands those from the answering host's own topic to the {@link AgentGateway}. Job reports on the same topics
 * are the backup service's, read by a channel of its own with committed offsets.
 */
@ApplicationScoped
public class AgentAnswersConsumer {
    private static final Logger LOG = Logger.getLogger(AgentAnswersConsumer.class);

    @Inject
    AgentGateway gateway;

    @Inject
    ReportOrigin origin;

    @Incoming("agent-answers")
    public void consume(ConsumerRecord<String, String> record) {
        try {
            if (CairnJson.mapper().readValue(record.value(), AgentReport.class) instanceof AgentResult result
                    && origin.resultIsGenuine(record.topic(), result.hostId())) {
                gateway.answer(result);
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable agent report: %s", e.getMessage());
        }
    }
}
