package io.cairn.testing.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** What every packaged-Quarkus test process needs: a free port, waiting for readiness, a clean stop and a SIGKILL. */
public final class QuarkusProcesses {
    private static final Map<Path, Path> PRIVATE_COPIES = new ConcurrentHashMap<>();

    private QuarkusProcesses() {
    }

    /**
     * The module's packaged jar, run from a private copy of its quarkus-app directory taken once per test JVM: the
     * runner opens library jars lazily, so a build that rewrites target/quarkus-app while the process runs (a
     * developer's build beside a long test) would otherwise stall or break its class loading mid-test.
     */
    public static Path runnableJar(Path moduleDir) {
        Path app = moduleDir.resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app.resolve("quarkus-run.jar") + " is missing: package "
                    + moduleDir.getFileName() + " first (mvn install builds it before the modules that run it)");
        }
        return PRIVATE_COPIES.computeIfAbsent(app, QuarkusProcesses::copyOf).resolve("quarkus-run.jar");
    }

    private static Path copyOf(Path app) {
        try {
            Path copy = Files.createTempDirectory(Path.of("/tmp"), "cairn-app-" + app.getParent().getParent()
                    .getFileName() + "-");
            try (Stream<Path> files = Files.walk(app)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(app.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(copy), "cairn-app-copy-delete"));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + app, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // /tmp is cleaned by the system eventually
        }
    }

    /** A process's log file, or why there is none: for failure messages, so it never throws. */
    public static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code -D} settings that make a packaged service listen on loopback only: its API (and health) on
     * {@code port}, its management interface (metrics, OpenAPI) on a free port of its own, so that several
     * services of one test never race for the management default 9000.
     */
    public static List<String> listenOn(int port) {
        return List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + freePort(), "-Dquarkus.management.host=127.0.0.1");
    }

    /** Waits until {@code /q/health/ready} answers 200; on failure stops the process and says why, with its log. */
    public static void awaitReady(Process process, int port, Duration timeout, String what, Supplier<String> log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited during start:\n" + log.get());
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
            waitFor(process, 200, TimeUnit.MILLISECONDS);
        }
        stop(process);
        throw new IllegalStateException(what + " was not ready within " + timeout + ":\n" + log.get());
    }

    /** SIGTERM, then SIGKILL if it does not go within 20 s. */
    public static void stop(Process process) {
        process.destroy();
        if (!waitFor(process, 20, TimeUnit.SECONDS)) {
            kill9(process);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the broker. */
    public static void kill9(Process process) {
        process.destroyForcibly();
        waitFor(process, 10, TimeUnit.SECONDS);
    }

    private static boolean waitFor(Process process, long amount, TimeUnit unit) {
        try {
            return process.waitFor(amount, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return true;
        }
    }
}
