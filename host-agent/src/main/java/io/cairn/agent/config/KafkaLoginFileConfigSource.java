package io.cairn.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The agent's Kafka login read from a file on its node, because a DaemonSet's pods cannot each pick their node's own
 * Secret: when {@value #FILE_VARIABLE} names a file, its content is {@value #PROPERTY}. A named file that is missing,
 * unreadable, empty or no JAAS login stops the start with the reason, so an agent never runs without its login.
 */
public final class KafkaLoginFileConfigSource implements ConfigSource {
    /** The environment variable naming the file (the DaemonSet sets it). */
    public static final String FILE_VARIABLE = "CAIRN_KAFKA_JAAS_FILE";
    /** The one property this source provides: what Strimzi's KafkaUser Secret holds under this key. */
    public static final String PROPERTY = "kafka.sasl.jaas.config";
    /** Below environment variables (300), so KAFKA_SASL_JAAS_CONFIG still wins; above application.properties (250). */
    public static final int ORDINAL = 275;

    private final Path file;
    private final Map<String, String> values;

    /** Used by the ServiceLoader: reads the file the process environment names. */
    public KafkaLoginFileConfigSource() {
        this(System.getenv());
    }

    /** Reads the file {@code environment} names; nothing when it names none. */
    KafkaLoginFileConfigSource(Map<String, String> environment) {
        String named = environment.get(FILE_VARIABLE);
        if (named == null || named.isBlank()) {
            file = null;
            values = Map.of();
        } else {
            file = Path.of(named.strip());
            values = Map.of(PROPERTY, read(file));
        }
    }

    private static String read(Path file) {
        String login;
        try {
            login = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(FILE_VARIABLE + " names " + file + ", which does not exist: put this "
                    + "node's Kafka login there (the 'sasl.jaas.config' of its KafkaUser Secret cairn-agent-<node>; "
                    + "deploy/kubernetes/README.md). The agent does not start without its login.", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(FILE_VARIABLE + " names " + file + ", which cannot be read (" + e
                    + "). The agent does not start without its Kafka login.", e);
        }
        if (login.isEmpty()) {
            throw new IllegalStateException(FILE_VARIABLE + " names " + file + ", which is empty. The agent does not "
                    + "start without its Kafka login.");
        }
        // Never quote the content: it holds the password. A bare password (the Secret's other key) is the likely slip.
        if (!login.contains("LoginModule") || !login.endsWith(";")) {
            throw new IllegalStateException(FILE_VARIABLE + " names " + file + ", which holds no JAAS login "
                    + "('...ScramLoginModule required username=\"...\" password=\"...\";'): copy the 'sasl.jaas.config' "
                    + "key of the node's KafkaUser Secret, not its 'password'.");
        }
        return login;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "KafkaLoginFileConfigSource[" + (file == null ? "no " + FILE_VARIABLE : file) + "]";
    }
}
