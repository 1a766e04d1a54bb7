package io.cairn.soak;

import io.cairn.testing.service.QuarkusProcesses;
import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.ProjectRoot;
import io.cairn.testing.stack.StackAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One packaged Cairn service (its Quarkus jar, the harness's private copy) as a process the soak can SIGKILL and start
 * again: unlike the harness's ServiceProcess it keeps its port across restarts (users keep one URL) and writes each
 * incarnation's log into the soak's own directory, so the evidence of a violation survives the run.
 */
final class SoakService implements AutoCloseable {
    private final String module;
    private final String database;
    private final StackAddresses stack;
    private final Path logDir;
    private final int port;
    private final List<String> properties;
    private volatile Process process;
    private int starts;

    SoakService(String module, String database, StackAddresses stack, Path logDir, List<String> properties) {
        this.module = module;
        this.database = database;
        this.stack = stack;
        this.logDir = logDir;
        this.port = QuarkusProcesses.freePort();
        this.properties = List.copyOf(properties);
    }

    /** Starts (again) and waits until {@code /q/health/ready} answers; fails with the log's tail otherwise. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(module + " is still running");
        }
        Path jar = QuarkusProcesses.runnableJar(ProjectRoot.find().resolve(module));
        Path log = logDir.resolve(module + "-" + (++starts) + ".log");
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(QuarkusProcesses.listenOn(port));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        KafkaAccess.environment(builder.environment(), stack.kafkaBootstrap(), module);
        builder.environment().put("PG_HOST", stack.pgHost());
        builder.environment().put("PG_PORT", String.valueOf(stack.pgPort()));
        builder.environment().put("PG_USER", stack.pgUser());
        builder.environment().put("PG_PASSWORD", stack.pgPassword());
        builder.environment().put("PG_DB", database);
        // Security on, as users run it: the soak calls with tokens of the local issuer (Rest).
        builder.environment().put("CAIRN_JWT_PUBLIC_KEY", LocalStack.issuer().publicKeyBase64());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
        Process started = process;
        QuarkusProcesses.awaitReady(started, port, Duration.ofSeconds(240), module + " (start " + starts + ")",
                () -> tail(QuarkusProcesses.readLog(log)));
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the broker. */
    void kill9() {
        Process running = process;
        if (running != null) {
            QuarkusProcesses.kill9(running);
        }
    }

    boolean alive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    long pid() {
        Process running = process;
        return running == null ? -1 : running.pid();
    }

    String module() {
        return module;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int starts() {
        return starts;
    }

    @Override
    public void close() {
        Process running = process;
        if (running != null) {
            QuarkusProcesses.stop(running);
        }
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : "..." + log.substring(log.length() - 4000);
    }
}
