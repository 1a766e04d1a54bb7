package io.cairn.checkpoint.messaging;

import io.cairn.testing.stack.PrivateKafka;
import io.cairn.testing.stack.PrivateStack;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker restarts while users keep sending commands (issue #5): afterwards every accepted command has
 * exactly one outcome and the lineage matches. A private broker and database, so the shared stack's keep running.
 */
class BrokerRestartIT {

    @Test
    void everyCommandHasExactlyOneOutcomeAfterABrokerRestart() throws Exception {
        try (PrivateStack stack = PrivateStack.start(FaultScenario.DATABASE)) {
            PrivateKafka kafka = stack.kafka();
            new FaultScenario("broker-restart", stack, new FaultScenario.Dependency() {
                @Override
                public void stop() {
                    kafka.stop();
                }

                @Override
                public void start() {
                    kafka.start();
                }
            }).run();
        }
    }
}
