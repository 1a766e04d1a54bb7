package io.cairn.testing.stack;

import io.cairn.testing.security.LocalIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Points a {@code @QuarkusTest} at the real local stack. The database is chosen with the init arg {@code database}
 * (default {@code cairn_test}); Dev Services stay off. The service logs in to Kafka as its own principal. The services verify tokens with the local issuer's key, and
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
                // The service under test logs in as its own principal, with exactly its production ACLs.
                Map.entry("kafka.sasl.jaas.config", KafkaAccess.jaas(applicationName())),
                Map.entry("quarkus.datasource.reactive.url", stack.reactiveUrl(database)),
                Map.entry("quarkus.datasource.jdbc.url", stack.jdbcUrl(database)),
                Map.entry("quarkus.datasource.username", stack.pgUser()),
                Map.entry("quarkus.datasource.password", stack.pgPassword()),
                Map.entry("quarkus.devservices.enabled", "false"),
                Map.entry("cairn.qmp-dir", stack.qmpDir().toString()),
                Map.entry("cairn.storage-dir", stack.storageDir().toString()));
    }

    /** The service under test's name (its {@code quarkus.application.name}), which is also its Kafka principal. */
    private static String applicationName() {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("application.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String name = properties.getProperty("quarkus.application.name");
            if (name == null) {
                throw new IllegalStateException("application.properties names no quarkus.application.name, the "
                        + "Kafka principal the service under test logs in as");
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The stack outlives one test class: LocalStack stops it at JVM exit if it started it.
    }
}
