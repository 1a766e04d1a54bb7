package io.cairn.testing.stack;

import java.nio.file.Path;
import java.util.Map;

/** Where the running local stack can be reached, as written by {@code deploy/local/cairn} into stack.env. */
public record StackAddresses(
        String kafkaBootstrap,
        String pgHost,
        int pgPort,
        String pgUser,
        String pgPassword,
        Path qmpDir,
        Path storageDir) {

    static StackAddresses fromEnvFile(Map<String, String> env) {
        return new StackAddresses(
                required(env, "CAIRN_KAFKA_BOOTSTRAP"),
                required(env, "CAIRN_PG_HOST"),
                Integer.parseInt(required(env, "CAIRN_PG_PORT")),
                required(env, "CAIRN_PG_USER"),
                required(env, "CAIRN_PG_PASSWORD"),
                Path.of(required(env, "CAIRN_QMP_DIR")),
                Path.of(required(env, "CAIRN_STORAGE_DIR")));
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    public int kafkaPort() {
        return Integer.parseInt(kafkaBootstrap.substring(kafkaBootstrap.lastIndexOf(':') + 1));
    }

    private static String required(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("stack.env has no " + key);
        }
        return value;
    }
}
