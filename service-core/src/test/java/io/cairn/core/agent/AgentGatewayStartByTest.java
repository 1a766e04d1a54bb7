package io.cairn.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.config.AgentGatewayConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A call's "start by" leaves the agent time to run what it starts at the last moment, also under short timeouts. */
class AgentGatewayStartByTest {

    private static final Instant SENT = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void theReserveIsKeptBackFromTheTimeout() {
        assertThat(gateway(Duration.ofSeconds(30), Duration.ofSeconds(10)).startBy(SENT))
                .isEqualTo(SENT.plusSeconds(20));
    }

    @Test
    void aShortTimeoutKeepsTwoThirdsForStarting() {
        assertThat(gateway(Duration.ofSeconds(3), Duration.ofSeconds(10)).startBy(SENT))
                .isEqualTo(SENT.plusSeconds(2));
    }

    private static AgentGateway gateway(Duration timeout, Duration reserve) {
        AgentGateway gateway = new AgentGateway();
        gateway.config = new AgentGatewayConfig() {
            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public Duration runReserve() {
                return reserve;
            }
        };
        return gateway;
    }
}
