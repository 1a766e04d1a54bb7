package io.cairn.agent.backup;

import io.cairn.agent.config.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** An AgentConfig for tests that build the agent's services by hand, without Quarkus. */
public record TestAgentConfig(String hostId, Path qmpSocketDir, List<Path> storageRoots, List<String> nbdBindAddresses,
        int maxConcurrentJobs, Duration commandTimeout, Optional<Path> tlsX509Dir, Duration progressInterval,
        Duration reconcileInterval, long jobSpeed, Nbd nbd) implements AgentConfig {

    /** The agent's NBD settings, defaults as in production. */
    public record TestNbd(int maxConnections, boolean allowPlain, boolean allowWildcardBind) implements Nbd {
    }

    public static TestAgentConfig of(Path socketDir, Path storageRoot) {
        return new TestAgentConfig("host-1", socketDir, List.of(storageRoot), List.of("127.0.0.1"), 4,
                Duration.ofSeconds(30), Optional.empty(), Duration.ofMillis(200), Duration.ofSeconds(60), 0,
                new TestNbd(4, false, false));
    }

    public TestAgentConfig withNbd(Nbd settings) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, settings);
    }

    public TestAgentConfig withNbdBindAddresses(List<String> addresses) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, addresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd);
    }

    public TestAgentConfig withJobSpeed(long speed) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, speed, nbd);
    }

    public TestAgentConfig withMaxConcurrentJobs(int max) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, max,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd);
    }

    public TestAgentConfig withTlsDir(Path dir) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, Optional.of(dir), progressInterval, reconcileInterval, jobSpeed, nbd);
    }

    public TestAgentConfig withStorageRoots(List<Path> roots) {
        return new TestAgentConfig(hostId, qmpSocketDir, roots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd);
    }
}
