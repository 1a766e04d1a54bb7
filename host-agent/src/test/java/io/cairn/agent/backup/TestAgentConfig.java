package io.cairn.agent.backup;

import io.cairn.agent.config.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** An AgentConfig for tests that build the agent's services by hand, without Quarkus. */
public record TestAgentConfig(String hostId, Path qmpSocketDir, List<Path> storageRoots, List<String> nbdBindAddresses,
        int maxConcurrentJobs, Duration commandTimeout, Optional<Path> tlsX509Dir, Duration progressInterval,
        Duration reconcileInterval, long jobSpeed, Nbd nbd, GuestAgent guestAgent, long restoreRateLimit)
        implements AgentConfig {

    /** The agent's NBD settings, defaults as in production. */
    public record TestNbd(int maxConnections, boolean allowPlain, boolean allowWildcardBind) implements Nbd {
    }

    /** The agent's guest-agent settings; production's defaults unless a test shortens them. */
    public record TestGuestAgent(Duration syncTimeout, Duration maxFreeze, Duration thawTimeout) implements GuestAgent {
        public static final TestGuestAgent DEFAULTS = new TestGuestAgent(Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(5));
    }

    public static TestAgentConfig of(Path socketDir, Path storageRoot) {
        return new TestAgentConfig("host-1", socketDir, List.of(storageRoot), List.of("127.0.0.1"), 4,
                Duration.ofSeconds(30), Optional.empty(), Duration.ofMillis(200), Duration.ofSeconds(60), 0,
                new TestNbd(4, false, false), TestGuestAgent.DEFAULTS, 0);
    }

    public TestAgentConfig withNbd(Nbd settings) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, settings, guestAgent, restoreRateLimit);
    }

    public TestAgentConfig withNbdBindAddresses(List<String> addresses) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, addresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd, guestAgent, restoreRateLimit);
    }

    public TestAgentConfig withJobSpeed(long speed) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, speed, nbd, guestAgent, restoreRateLimit);
    }

    public TestAgentConfig withMaxConcurrentJobs(int max) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, max,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd, guestAgent, restoreRateLimit);
    }

    public TestAgentConfig withTlsDir(Path dir) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, Optional.of(dir), progressInterval, reconcileInterval, jobSpeed, nbd, guestAgent, restoreRateLimit);
    }

    public TestAgentConfig withStorageRoots(List<Path> roots) {
        return new TestAgentConfig(hostId, qmpSocketDir, roots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd, guestAgent, restoreRateLimit);
    }

    /** Copy restores write at most {@code bytesPerSecond}: slow enough to be aborted half-way. */
    public TestAgentConfig withRestoreRateLimit(long bytesPerSecond) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd, guestAgent,
                bytesPerSecond);
    }

    public TestAgentConfig withGuestAgent(GuestAgent settings) {
        return new TestAgentConfig(hostId, qmpSocketDir, storageRoots, nbdBindAddresses, maxConcurrentJobs,
                commandTimeout, tlsX509Dir, progressInterval, reconcileInterval, jobSpeed, nbd, settings, restoreRateLimit);
    }
}
