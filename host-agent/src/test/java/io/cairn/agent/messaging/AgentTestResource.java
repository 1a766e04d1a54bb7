package io.cairn.agent.messaging;

import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.KafkaProvisioner;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs the agent under test as a fresh host (its own host id, QMP directory, storage root and journal) against
 * the real broker, so old records on the shared topics are never its business.
 */
public class AgentTestResource implements QuarkusTestResourceLifecycleManager {
    static final String HOST_ID = "test-host-" + UUID.randomUUID().toString().substring(0, 8);
    static Path baseDir;
    static String bootstrap;

    static Path qmpDir() {
        return baseDir.resolve("qmp");
    }

    @Override
    public Map<String, String> start() {
        StackAddresses stack = LocalStack.ensureRunning();
        bootstrap = stack.kafkaBootstrap();
        try {
            // Short paths: a unix socket path must stay under 108 bytes.
            baseDir = Files.createTempDirectory(Path.of("/tmp"), "cairn-agent-");
            Files.createDirectories(qmpDir());
            Files.createDirectories(baseDir.resolve("storage"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String principal = KafkaProvisioner.onboardHost(bootstrap, HOST_ID);
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "kafka.sasl.jaas.config", KafkaAccess.jaas(principal),
                "cairn.agent.host-id", HOST_ID,
                "cairn.agent.qmp-socket-dir", qmpDir().toString(),
                "cairn.agent.storage-roots", baseDir.resolve("storage").toString(),
                "cairn.messaging.state-dir", baseDir.resolve("state").toString(),
                // A brand-new group of a brand-new host: reading from the start is safe and misses nothing
                // published before the consumer got its partitions.
                "mp.messaging.incoming.agent-commands.auto.offset.reset", "earliest",
                // Long enough that only a change (or a QMP socket coming and going) publishes an inventory.
                "cairn.messaging.inventory-interval", "10m");
    }

    @Override
    public void stop() {
        if (baseDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
