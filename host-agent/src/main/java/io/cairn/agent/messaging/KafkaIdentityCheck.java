package io.cairn.agent.messaging;

import io.cairn.agent.config.AgentConfig;
import io.cairn.events.topic.AccessRules;
import io.cairn.events.topic.AgentTopics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at start who this agent is on Kafka: its host id names its topics and its principal, so an id that cannot name
 * a topic stops the start with the reason, and running without Kafka authentication is logged loudly.
 */
@ApplicationScoped
public class KafkaIdentityCheck {
    private static final Logger LOG = Logger.getLogger(KafkaIdentityCheck.class);

    @Inject
    AgentConfig config;

    @ConfigProperty(name = "kafka.security.protocol", defaultValue = "PLAINTEXT")
    String protocol;

    void onStart(@Observes StartupEvent event) {
        String host = config.hostId();
        if (!AgentTopics.isHostId(host)) {
            throw new IllegalStateException("cairn.agent.host-id '" + host + "' cannot name this host's Kafka topics: "
                    + "it must match " + AgentTopics.HOST_ID_PATTERN);
        }
        if (!protocol.startsWith("SASL_") && !protocol.equals("SSL")) {
            LOG.warnf("KAFKA AUTHENTICATION IS OFF (kafka.security.protocol=%s): this agent logs in as nobody, so the "
                    + "broker cannot keep other hosts from its topics. Set CAIRN_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT "
                    + "or SASL_SSL with credentials in KAFKA_SASL_JAAS_CONFIG.", protocol);
        } else {
            LOG.infof("host %s: requests from %s, reports to %s and %s, as Kafka principal %s", host,
                    AgentTopics.commands(host), AgentTopics.results(host), AgentTopics.inventory(host),
                    AccessRules.agentPrincipal(host));
        }
    }
}
