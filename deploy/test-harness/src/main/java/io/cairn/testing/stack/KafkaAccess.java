package io.cairn.testing.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The local stack's Kafka credentials: one SCRAM password per principal in {@code <state>/security/kafka}, shared by
 * {@code deploy/local/cairn} (which makes the broker's own) and the harness (which makes the others), and the client
 * settings that log in with them. Every client of the local broker, tests included, goes through here.
 */
public final class KafkaAccess {
    /** The broker's super user; tests observe and inject records as it, services never run as it. */
    public static final String ADMIN = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String PROTOCOL = "SASL_PLAINTEXT";

    private static final SecureRandom RANDOM = new SecureRandom();

    private KafkaAccess() {
    }

    /** Client settings (bootstrap and login) of {@code principal}, for any Kafka client. */
    public static Map<String, Object> client(String bootstrap, String principal) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("security.protocol", PROTOCOL);
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", jaas(principal));
        return config;
    }

    /** A Quarkus process's environment to reach the broker as {@code principal} (its KAFKA_* variables). */
    public static void environment(Map<String, String> env, String bootstrap, String principal) {
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KAFKA_SASL_JAAS_CONFIG", jaas(principal));
    }

    /** Client settings of the broker's super user. */
    public static Map<String, Object> admin(String bootstrap) {
        return client(bootstrap, ADMIN);
    }

    /** The {@code sasl.jaas.config} value that logs in as {@code principal} (env KAFKA_SASL_JAAS_CONFIG for Quarkus). */
    public static String jaas(String principal) {
        return jaas(principal, password(principal));
    }

    static String jaas(String principal, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                + "\" password=\"" + password + "\";";
    }

    /** A principal's password, made (random, owner-only file) on first use. */
    public static synchronized String password(String principal) {
        Path file = secretsDir().resolve(principal + ".password");
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                Files.createDirectories(file.getParent());
                Path fresh = Files.createTempFile(file.getParent(), ".new-", ".password",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                byte[] secret = new byte[24];
                RANDOM.nextBytes(secret);
                Files.writeString(fresh, HexFormat.of().formatHex(secret) + "\n");
                try {
                    // A link fails if the file exists: another JVM that made it first may have told the broker.
                    Files.createLink(file, fresh);
                } catch (FileAlreadyExistsException e) {
                    // theirs stands
                } finally {
                    Files.deleteIfExists(fresh);
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the Kafka password of " + principal + " in " + file, e);
        }
    }

    /** Where the passwords live. */
    public static Path secretsDir() {
        return LocalStack.stateDir(ProjectRoot.find()).resolve("security").resolve("kafka");
    }
}
