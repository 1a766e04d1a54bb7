package io.cairn.checkpoint.messaging;

import io.cairn.testing.stack.PrivatePostgres;
import io.cairn.testing.stack.PrivateStack;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarts while users keep sending commands (issue #5): afterwards every accepted command has exactly one
 * outcome and the lineage matches. A private database and broker, so the shared stack's keep running for others.
 */
class PostgresRestartIT {

    @Test
    void everyCommandHasExactlyOneOutcomeAfterADatabaseRestart() throws Exception {
        try (PrivateStack stack = PrivateStack.start(FaultScenario.DATABASE)) {
            PrivatePostgres postgres = stack.postgres();
            new FaultScenario("postgres-restart", stack, new FaultScenario.Dependency() {
                @Override
                public void stop() {
                    postgres.stop();
                }

                @Override
                public void start() {
                    postgres.start();
                }
            }).run();
        }
    }
}
