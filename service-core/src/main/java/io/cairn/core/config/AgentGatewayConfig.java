package io.cairn.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the services talk to host agents. */
@ConfigMapping(prefix = "cairn.agent-gateway")
public interface AgentGatewayConfig {
    /**
     * How long a request waits for its agent's answer before it fails with VIR_ERR_OPERATION_TIMEOUT (the caller
     * then undoes whatever the late request may still do).
     */
    @WithDefault("30s")
    Duration timeout();
}
