package io.cairn.testing.stack;

import io.cairn.testing.service.QuarkusProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;

/**
 * A throwaway PostgreSQL cluster of one test's own (free port, temp dir), built like deploy/local/lib/postgres.sh
 * does it, so a fault test can stop and start its database without touching the shared stack's.
 */
public final class PrivatePostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    public static final String USER = "cairn";
    public static final String PASSWORD = "cairn";

    private final Path home;
    private final int port;
    private boolean running;

    private PrivatePostgres(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /** initdb, start, and the {@code cairn} role owning each of {@code databases}. */
    public static PrivatePostgres launch(String... databases) {
        if (!Files.isExecutable(BIN.resolve("pg_ctl"))) {
            throw new IllegalStateException(BIN + "/pg_ctl is missing: install the postgresql package");
        }
        try {
            Path home = Files.createTempDirectory("cairn-private-pg-");
            if ("root".equals(System.getProperty("user.name"))) {
                // The tools run as postgres, which must own the cluster's directory.
                UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(home, users.lookupPrincipalByName("postgres"));
            }
            PrivatePostgres postgres = new PrivatePostgres(home, QuarkusProcesses.freePort());
            StackCommand.run(StackCommand.asPostgres(BIN.resolve("initdb").toString(), "-D", postgres.data(),
                    "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"), postgres.log(), null);
            postgres.start();
            StringBuilder sql = new StringBuilder("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "';\n");
            for (String database : databases) {
                sql.append("CREATE DATABASE ").append(database).append(" OWNER ").append(USER).append(";\n");
            }
            StackCommand.run(List.of(BIN.resolve("psql").toString(), "-q", "-h", "127.0.0.1", "-p",
                    String.valueOf(postgres.port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"),
                    postgres.log(), sql.toString());
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the stopped cluster again on the same port and data. */
    public synchronized void start() {
        // fsync off and friends: a test cluster, as deploy/local's.
        StackCommand.run(StackCommand.asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data(), "-l",
                home.resolve("postgres.log").toString(), "-w", "-t", "60", "-o", "-p " + port + " -k " + home
                        + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                        + " -c full_page_writes=off", "start"), log(), null);
        running = true;
    }

    /** A fast shutdown: open sessions are terminated and clients see their connections close, as in a restart. */
    public synchronized void stop() {
        StackCommand.run(StackCommand.asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast",
                "-w", "stop"), log(), null);
        running = false;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The server's own log, for failure messages. */
    public String serverLog() {
        try {
            return Files.readString(home.resolve("postgres.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String data() {
        return home.resolve("data").toString();
    }

    private Path log() {
        return home.resolve("commands.log");
    }

    @Override
    public synchronized void close() {
        try {
            if (running) {
                stop();
            }
        } finally {
            StackCommand.deleteTree(home);
        }
    }
}
