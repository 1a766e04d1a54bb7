package io.cairn.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the transactional outbox relays events to Kafka. */
@ConfigMapping(prefix = "cairn.outbox")
public interface OutboxConfig {
    /** Off only in fault tests, to stop a service between its commit and its publish. */
    @WithDefault("true")
    boolean relayEnabled();

    /** How often the relay looks for events a missed kick or a crash left behind. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long after start the first relay pass waits (the messaging channels must exist first). */
    @WithDefault("10s")
    Duration firstDelay();
}
