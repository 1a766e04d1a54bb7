package io.cairn.testing.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What every packaged-Quarkus test process needs: a free port, waiting for readiness, a clean stop and a SIGKILL. */
public final class QuarkusProcesses {
    private QuarkusProcesses() {
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
