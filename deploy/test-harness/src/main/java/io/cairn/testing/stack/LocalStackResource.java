package io.cairn.testing.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real local stack. The database is chosen with the init arg {@code database}
 * (default {@code cairn_test}); Dev Services stay off.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
    private String database = "cairn_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        StackAddresses stack = LocalStack.ensureRunning();
        return Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrap(),
                "quarkus.datasource.reactive.url", stack.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", stack.jdbcUrl(database),
                "quarkus.datasource.username", stack.pgUser(),
                "quarkus.datasource.password", stack.pgPassword(),
                "quarkus.devservices.enabled", "false",
                "cairn.qmp-dir", stack.qmpDir().toString(),
                "cairn.storage-dir", stack.storageDir().toString());
    }

    @Override
    public void stop() {
        // The stack outlives one test class: LocalStack stops it at JVM exit if it started it.
    }
}
