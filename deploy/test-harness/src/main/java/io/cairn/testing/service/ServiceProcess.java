package io.cairn.testing.service;

import io.cairn.testing.stack.ProjectRoot;
import io.cairn.testing.stack.StackAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Cairn service (its Quarkus jar) as a real process, for fault tests that must kill it: started against
 * the local stack, readiness awaited, SIGKILL on demand.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * @param module      the service's module directory, e.g. {@code checkpoint-service}
     * @param database    the PostgreSQL database it uses
     * @param properties  extra {@code -Dkey=value} settings
     */
    public static ServiceProcess start(String module, StackAddresses stack, String database, String... properties) {
        Path jar = ProjectRoot.find().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first");
        }
        try {
            int port = freePort();
            Path log = Files.createTempFile(Path.of("/tmp"), module + "-", ".log");
            List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.http.host=127.0.0.1"));
            command.addAll(List.of(properties));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
            builder.environment().put("PG_HOST", stack.pgHost());
            builder.environment().put("PG_PORT", String.valueOf(stack.pgPort()));
            builder.environment().put("PG_USER", stack.pgUser());
            builder.environment().put("PG_PASSWORD", stack.pgPassword());
            builder.environment().put("PG_DB", database);
            ServiceProcess service = new ServiceProcess(builder.start(), log, port);
            service.awaitReady(Duration.ofSeconds(120));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the broker. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited during start:\n" + log());
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
        throw new IllegalStateException("the service was not ready within " + timeout + ":\n" + log());
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
    }
}
