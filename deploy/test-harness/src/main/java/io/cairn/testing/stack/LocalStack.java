package io.cairn.testing.stack;

import io.cairn.testing.security.LocalIssuer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gives tests the real Kafka broker and PostgreSQL: it finds the stack that {@code deploy/local/cairn} runs, or starts
 * it (and then stops it when the JVM exits, so a test run leaves no stray processes).
 */
public final class LocalStack {
    private static StackAddresses addresses;
    private static LocalIssuer issuer;

    private LocalStack() {
    }

    public static synchronized StackAddresses ensureRunning() {
        if (addresses != null) {
            return addresses;
        }
        Path root = ProjectRoot.find();
        Path envFile = stateDir(root).resolve("stack.env");
        StackAddresses found = readIfReachable(envFile);
        if (found == null) {
            runCairn(root, "stack", "up");
            // Several test JVMs run by hand at once would stop each other's stack: a developer can pin it with
            // an empty .cairn/keep-stack file. CI and 'cairn test' start the stack before any JVM, so never hit this.
            if (!Files.exists(stateDir(root).resolve("keep-stack"))) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> runCairnQuietly(root, "stack", "down"),
                        "cairn-stack-down"));
            }
            found = readIfReachable(envFile);
            if (found == null) {
                throw new IllegalStateException("deploy/local/cairn stack up finished but the stack is not reachable ("
                        + envFile + ")");
            }
        }
        KafkaProvisioner.provision(found.kafkaBootstrap());
        addresses = found;
        return addresses;
    }

    /** The local stack's token issuer (its keys in the state directory, made on first use). */
    public static synchronized LocalIssuer issuer() {
        if (issuer == null) {
            issuer = LocalIssuer.in(stateDir(ProjectRoot.find()).resolve("security"));
        }
        return issuer;
    }

    static Path stateDir(Path root) {
        String configured = System.getenv("CAIRN_STATE_DIR");
        return configured == null || configured.isBlank() ? root.resolve(".cairn") : Path.of(configured);
    }

    private static StackAddresses readIfReachable(Path envFile) {
        if (!Files.isRegularFile(envFile)) {
            return null;
        }
        StackAddresses candidate = StackAddresses.fromEnvFile(parseEnv(envFile));
        boolean up = reachable("127.0.0.1", candidate.kafkaPort()) && reachable(candidate.pgHost(), candidate.pgPort());
        return up ? candidate : null;
    }

    private static Map<String, String> parseEnv(Path envFile) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(envFile)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            return env;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + envFile, e);
        }
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void runCairn(Path root, String... args) {
        Path log = root.resolve("target").resolve("cairn-stack.log");
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new java.util.ArrayList<>(List.of(root.resolve("deploy/local/cairn").toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("deploy/local/cairn " + String.join(" ", args) + " timed out; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/cairn " + String.join(" ", args) + " failed:\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run deploy/local/cairn", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local stack", e);
        }
    }

    private static void runCairnQuietly(Path root, String... args) {
        try {
            runCairn(root, args);
        } catch (RuntimeException e) {
            System.err.println("[cairn] stopping the local stack failed: " + e.getMessage());
        }
    }
}
