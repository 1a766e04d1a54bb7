package io.cairn.testing.stack;

import io.cairn.testing.security.LocalIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real local stack. The database is chosen with the init arg {@code database}
 * (default {@code cairn_test}); Dev Services stay off. The services verify tokens with the local issuer's key, and
 * every RestAssured call carries an admin token unless the test says otherwise ({@link
 * io.cairn.testing.security.AdminTokenForRestAssured}).
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
        LocalIssuer issuer = LocalStack.issuer();
        return Map.ofEntries(Map.entry("quarkus.oidc.public-key", issuer.publicKeyBase64()),
                Map.entry("quarkus.oidc.token.issuer", LocalIssuer.ISSUER),
                Map.entry("kafka.bootstrap.servers", stack.kafkaBootstrap()),
                Map.entry("quarkus.datasource.reactive.url", stack.reactiveUrl(database)),
                Map.entry("quarkus.datasource.jdbc.url", stack.jdbcUrl(database)),
                Map.entry("quarkus.datasource.username", stack.pgUser()),
                Map.entry("quarkus.datasource.password", stack.pgPassword()),
                Map.entry("quarkus.devservices.enabled", "false"),
                Map.entry("cairn.qmp-dir", stack.qmpDir().toString()),
                Map.entry("cairn.storage-dir", stack.storageDir().toString()));
    }

    @Override
    public void stop() {
        // The stack outlives one test class: LocalStack stops it at JVM exit if it started it.
    }
}
