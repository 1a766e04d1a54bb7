package io.cairn.testing.agent;

import io.cairn.testing.stack.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real host-agent process (the built Quarkus jar) for the services' tests: its own host id, QMP directory,
 * storage root and journal, talking to the real broker. Closing it stops the process.
 */
public final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final String hostId;
    private final Path baseDir;
    private final Path log;

    private AgentProcess(Process process, String hostId, Path baseDir, Path log) {
        this.process = process;
        this.hostId = hostId;
        this.baseDir = baseDir;
        this.log = log;
    }

    /** Starts an agent and waits until it reports ready. */
    public static AgentProcess start(String kafkaBootstrap) {
        Path jar = ProjectRoot.find().resolve("host-agent/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build host-agent first (mvn install builds it before "
                    + "the services)");
        }
        String hostId = "test-host-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Path baseDir = Files.createTempDirectory(Path.of("/tmp"), "cairn-agent-");
            Files.createDirectories(baseDir.resolve("qmp"));
            Files.createDirectories(baseDir.resolve("storage"));
            Path log = baseDir.resolve("agent.log");
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(List.of("java", "-Xmx192m",
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                    // A new host: reading its (empty) request history from the start misses nothing.
                    "-Dmp.messaging.incoming.agent-commands.auto.offset.reset=earliest",
                    "-Dcairn.messaging.inventory-interval=2s",
                    "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
            builder.environment().put("CAIRN_HOST_ID", hostId);
            builder.environment().put("CAIRN_QMP_DIR", baseDir.resolve("qmp").toString());
            builder.environment().put("CAIRN_STORAGE_DIR", baseDir.resolve("storage").toString());
            builder.environment().put("CAIRN_AGENT_STATE_DIR", baseDir.resolve("state").toString());
            AgentProcess agent = new AgentProcess(builder.start(), hostId, baseDir, log);
            agent.awaitReady(port, Duration.ofSeconds(90));
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the host agent exited during start:\n" + log());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                        + "/q/health/ready").toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("the host agent was not ready within " + timeout + ":\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(baseDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: /tmp is cleaned by the OS
        }
    }
}
