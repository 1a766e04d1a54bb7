package io.cairn.backup.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where the web console finds what backup-service does not own itself, and how its live feed keeps connections up. */
@ConfigMapping(prefix = "cairn.console")
public interface ConsoleConfig {
    /**
     * checkpoint-service's base URL (no trailing slash), for the lineage pages: the console forwards the caller's
     * own bearer token there, so checkpoint-service applies the same roles and domain scope as to any REST caller.
     */
    @WithDefault("http://127.0.0.1:18081")
    String checkpointUrl();

    /** How long a forwarded call to checkpoint-service may take before the console answers 504. */
    @WithDefault("30s")
    Duration checkpointTimeout();

    /**
     * How often the live feed sends a comment line to every open stream, so a proxy or load balancer between the
     * browser and the service never closes a quiet stream as idle (and a vanished browser is noticed).
     */
    @WithDefault("20s")
    Duration keepAlive();
}
