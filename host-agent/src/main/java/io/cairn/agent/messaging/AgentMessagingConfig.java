package io.cairn.agent.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** How the agent talks to Kafka: where it remembers answers, and how often it republishes its inventory. */
@ConfigMapping(prefix = "cairn.messaging")
public interface AgentMessagingConfig {

    /** Where the request journal lives; must survive agent restarts. */
    @WithDefault("/var/lib/cairn/agent")
    Path stateDir();

    /** How many recent answers the journal keeps for duplicate requests. */
    @WithDefault("10000")
    int journalCapacity();

    /** Period of the full inventory republish. */
    @WithDefault("30s")
    Duration inventoryInterval();
}
