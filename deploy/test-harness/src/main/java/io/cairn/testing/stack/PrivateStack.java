package io.cairn.testing.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A broker and a database of one fault test's own, so it can restart either while other tests keep using the shared
 * stack; its {@link #addresses()} go wherever {@link StackAddresses} go (e.g. ServiceProcess).
 */
public final class PrivateStack implements AutoCloseable {
    private final PrivatePostgres postgres;
    private final PrivateKafka kafka;
    private final Path scratch;

    private PrivateStack(PrivatePostgres postgres, PrivateKafka kafka, Path scratch) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.scratch = scratch;
    }

    /** A fresh broker with the catalogue's topics, and a fresh cluster holding {@code databases}. */
    public static PrivateStack start(String... databases) {
        PrivatePostgres postgres = PrivatePostgres.launch(databases);
        try {
            return new PrivateStack(postgres, PrivateKafka.launch(), Files.createTempDirectory("cairn-private-"));
        } catch (IOException e) {
            postgres.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public PrivatePostgres postgres() {
        return postgres;
    }

    public PrivateKafka kafka() {
        return kafka;
    }

    public StackAddresses addresses() {
        return new StackAddresses(kafka.bootstrap(), "127.0.0.1", postgres.port(), PrivatePostgres.USER,
                PrivatePostgres.PASSWORD, scratch.resolve("qmp"), scratch.resolve("storage"));
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            postgres.close();
            StackCommand.deleteTree(scratch);
        }
    }
}
