package io.cairn.testing.agent;

import io.cairn.testing.service.QuarkusProcesses;
import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.KafkaProvisioner;
import io.cairn.testing.stack.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A real host-agent process (the built Quarkus jar) for the services' tests: its own host id, QMP directory,
 * storage root and journal, talking to the real broker. Closing it stops the process.
 */
public final class AgentProcess implements AutoCloseable {
    private final String kafkaBootstrap;
    private final String hostId;
    private final Path baseDir;
    private final Path log;
    private final List<String> extraProperties;
    private Process process;

    private AgentProcess(String kafkaBootstrap, String hostId, Path baseDir, List<String> extraProperties) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.hostId = hostId;
        this.baseDir = baseDir;
        this.log = baseDir.resolve("agent.log");
        this.extraProperties = List.copyOf(extraProperties);
    }

    /**
     * Starts an agent and waits until it reports ready.
     *
     * @param extraProperties more {@code -Dkey=value} settings, e.g. {@code -Dcairn.agent.job-speed=4194304}
     */
    public static AgentProcess start(String kafkaBootstrap, String... extraProperties) {
        String hostId = "test-host-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Path baseDir = Files.createTempDirectory(Path.of("/tmp"), "cairn-agent-");
            Files.createDirectories(baseDir.resolve("qmp"));
            Files.createDirectories(baseDir.resolve("storage"));
            AgentProcess agent = new AgentProcess(kafkaBootstrap, hostId, baseDir, List.of(extraProperties));
            agent.launch();
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the agent dies mid-work, as on a host crash of the agent alone (QEMU keeps running). */
    public void kill9() {
        QuarkusProcesses.kill9(process);
    }

    /** Starts the same host again (same id, directories and journal) after a stop or a kill. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the agent of " + hostId + " is still running");
        }
        launch();
    }

    private void launch() {
        Path jar = QuarkusProcesses.runnableJar(ProjectRoot.find().resolve("host-agent"));
        try {
            int port = QuarkusProcesses.freePort();
            List<String> command = new java.util.ArrayList<>(List.of("java", "-Xmx192m"));
            command.addAll(QuarkusProcesses.listenOn(port));
            command.addAll(List.of(
                    // A new host: reading its (empty) request history from the start misses nothing.
                    "-Dmp.messaging.incoming.agent-commands.auto.offset.reset=earliest",
                    "-Dcairn.messaging.inventory-interval=2s"));
            command.addAll(extraProperties);
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Onboarded like a production host: its own topics and principal, nothing of other hosts'.
            String principal = KafkaProvisioner.onboardHost(kafkaBootstrap, hostId);
            KafkaAccess.environment(builder.environment(), kafkaBootstrap, principal);
            builder.environment().put("CAIRN_HOST_ID", hostId);
            builder.environment().put("CAIRN_QMP_DIR", baseDir.resolve("qmp").toString());
            builder.environment().put("CAIRN_STORAGE_DIR", storageDir().toString());
            builder.environment().put("CAIRN_AGENT_STATE_DIR", baseDir.resolve("state").toString());
            process = builder.start();
            QuarkusProcesses.awaitReady(process, port, Duration.ofSeconds(90), "the host agent", this::log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running agent's process id (for memory measurements). */
    public long pid() {
        return process.pid();
    }

    /** The agent's only storage root: backup targets and scratch files must lie under it. */
    public Path storageDir() {
        return baseDir.resolve("storage");
    }

    public String hostId() {
        return hostId;
    }

    /** Where the agent looks for {@code <domain>.qmp} sockets. */
    public Path qmpDir() {
        return baseDir.resolve("qmp");
    }

    /** Lets the agent find a QEMU whose socket lives elsewhere. */
    public void adopt(String domain, Path qmpSocket) {
        try {
            Files.createSymbolicLink(qmpDir().resolve(domain + ".qmp"), qmpSocket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        return QuarkusProcesses.readLog(log);
    }

    @Override
    public void close() {
        QuarkusProcesses.stop(process);
        try (var files = Files.walk(baseDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: /tmp is cleaned by the OS
        }
    }
}
