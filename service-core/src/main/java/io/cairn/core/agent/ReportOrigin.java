package io.cairn.core.agent;

import io.cairn.events.topic.AgentTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Believes an agent's record only when it came from the claimed host's own topic. Kafka's ACLs let a host's principal
 * write only its own topics, so the topic is the authenticated sender; a record on host A's topic that claims to be
 * host B's is forged (or a misconfigured agent) and is refused, logged and counted in
 * {@code cairn.agent.reports.forged}.
 */
@ApplicationScoped
public class ReportOrigin {
    private static final Logger LOG = Logger.getLogger(ReportOrigin.class);

    private final MeterRegistry registry;

    ReportOrigin(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A result or job report read from {@code topic} that says it is from {@code claimedHost}. */
    public boolean resultIsGenuine(String topic, String claimedHost) {
        return genuine(topic, claimedHost, "result", AgentTopics::hostOfResults);
    }

    /** An inventory read from {@code topic} that says it is of {@code claimedHost}. */
    public boolean inventoryIsGenuine(String topic, String claimedHost) {
        return genuine(topic, claimedHost, "inventory", AgentTopics::hostOfInventory);
    }

    private boolean genuine(String topic, String claimedHost, String kind,
            Function<String, Optional<String>> hostOfTopic) {
        Optional<String> sender = hostOfTopic.apply(topic);
        if (sender.isPresent() && sender.get().equals(claimedHost)) {
            return true;
        }
        LOG.warnf("refused an agent %s on %s that claims to be from host '%s': only that host's topic may carry it",
                kind, topic, claimedHost);
        Counter.builder("cairn.agent.reports.forged")
                .description("agent records refused because their topic is not the claimed host's")
                .tag("kind", kind).tag("topic_host", sender.orElse("none"))
                .register(registry).increment();
        return false;
    }

    /** How many records of this kind were refused so far (for tests and the soak). */
    public double refused(String kind) {
        return registry.find("cairn.agent.reports.forged").tag("kind", kind).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
