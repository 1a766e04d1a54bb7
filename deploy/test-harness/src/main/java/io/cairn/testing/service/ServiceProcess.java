package io.cairn.testing.service;

import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.ProjectRoot;
import io.cairn.testing.stack.StackAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        return start(module, stack, database, QuarkusProcesses.freePort(), properties);
    }

    /**
     * The same on a port chosen beforehand, so that services that call each other can start at the same time, each
     * already told where the other one will listen.
     */
    public static ServiceProcess start(String module, StackAddresses stack, String database, int port,
            String... properties) {
        Path jar = QuarkusProcesses.runnableJar(ProjectRoot.find().resolve(module));
        try {
            Path log = Files.createTempFile(Path.of("/tmp"), module + "-", ".log");
            List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
            command.addAll(QuarkusProcesses.listenOn(port));
            command.addAll(List.of(properties));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Its own Kafka principal, as deployed (the module is named after the service).
            KafkaAccess.environment(builder.environment(), stack.kafkaBootstrap(), module);
            builder.environment().put("PG_HOST", stack.pgHost());
            builder.environment().put("PG_PORT", String.valueOf(stack.pgPort()));
            builder.environment().put("PG_USER", stack.pgUser());
            builder.environment().put("PG_PASSWORD", stack.pgPassword());
            builder.environment().put("PG_DB", database);
            // Security on, as in production: tokens from the local issuer verify (see authorization()).
            builder.environment().put("CAIRN_JWT_PUBLIC_KEY", LocalStack.issuer().publicKeyBase64());
            ServiceProcess service = new ServiceProcess(builder.start(), log, port);
            QuarkusProcesses.awaitReady(service.process, port, Duration.ofSeconds(120), module, service::log);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An {@code Authorization} header value with an admin token of every domain, for calls from outside. */
    public static String authorization() {
        return "Bearer " + LocalStack.issuer().adminOfAll(Duration.ofHours(4));
    }

    /** The service's process id (memory measurements). */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String log() {
        return QuarkusProcesses.readLog(log);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the broker. */
    public void kill9() {
        QuarkusProcesses.kill9(process);
    }

    @Override
    public void close() {
        QuarkusProcesses.stop(process);
    }
}
