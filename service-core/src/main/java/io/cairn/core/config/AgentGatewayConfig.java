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

    /**
     * Time kept back from {@link #timeout()} for the agent to run a request it starts at the last moment: a request
     * carries "start by" = sent + timeout − reserve (the reserve is capped at a third of the timeout), and an agent
     * that gets it later refuses it unrun, so nothing the caller already gave up on (and undid or reported as timed
     * out) happens afterwards. Host clocks must agree to well within this (NTP).
     */
    @WithDefault("10s")
    Duration runReserve();
}
