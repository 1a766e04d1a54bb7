package io.cairn.tour;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the tour finds Cairn and the demo VMs. Defaults are what 'deploy/local/cairn up' starts; every value can be
 * overridden by an environment variable of the same meaning as the services' own.
 *
 * @param kafkaBootstrap Kafka bootstrap servers (commands out, events in)
 * @param checkpointUrl  checkpoint-service's REST base URL
 * @param backupUrl      backup-service's REST base URL
 * @param vmDir          the demo VMs' directories: {@code <vmDir>/<domain>/guest.qmp} is the monitor through which
 *                       the tour plays the guest and writes data
 * @param storageDir     one of the agent's storage roots: a pull's NBD socket goes into {@code <storageDir>/<domain>/}
 *                       (the only place the agent lets that domain's QEMU listen), restored chains under {@code tour/}
 * @param domains        the demo VMs; the first one also gets the pull backup and the lineage walk
 * @param timeout        how long any one step may wait for Cairn
 * @param token          the bearer token for Cairn's REST APIs ({@code CAIRN_TOKEN}; 'deploy/local/cairn tour' mints an
 *                       operator of the tour's domains: its commands go over Kafka, but a retention policy is set
 *                       over REST)
 * @param kafkaLogin     the {@code sasl.jaas.config} of the tour's Kafka principal ({@code KAFKA_SASL_JAAS_CONFIG}; a
 *                       user principal: it may write the command topics and read the event topics, nothing else)
 */
public record TourSettings(String kafkaBootstrap, String checkpointUrl, String backupUrl, Path vmDir,
        Path storageDir, List<String> domains, Duration timeout, String token, String kafkaLogin) {

    public static TourSettings fromEnvironment(Map<String, String> env, Path stateDir) {
        List<String> domains = Arrays.stream(env.getOrDefault("CAIRN_TOUR_DOMAINS", "demo-web,demo-db").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String token = env.get("CAIRN_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("CAIRN_TOKEN is not set: the REST APIs need a bearer token "
                    + "(deploy/local/cairn token --role operator --domains " + String.join(",", domains) + ")");
        }
        String kafkaLogin = env.get("KAFKA_SASL_JAAS_CONFIG");
        if (kafkaLogin == null || kafkaLogin.isBlank()) {
            throw new IllegalArgumentException("KAFKA_SASL_JAAS_CONFIG is not set: the broker needs a login "
                    + "(deploy/local/cairn kafka-user NAME prints one)");
        }
        return new TourSettings(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
                env.getOrDefault("CAIRN_CHECKPOINT_URL", "http://127.0.0.1:18081"),
                env.getOrDefault("CAIRN_BACKUP_URL", "http://127.0.0.1:18082"),
                Path.of(env.getOrDefault("CAIRN_VM_DIR", stateDir.resolve("vms").toString())),
                Path.of(env.getOrDefault("CAIRN_STORAGE_DIR", stateDir.resolve("storage").toString())),
                domains, Duration.ofSeconds(Long.parseLong(env.getOrDefault("CAIRN_TOUR_TIMEOUT_SECONDS", "120"))),
                token, kafkaLogin);
    }

    /** Settings every Kafka client of the tour starts from: where the broker is and how to log in (SCRAM). */
    public Properties kafkaClient() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafkaBootstrap);
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("sasl.jaas.config", kafkaLogin);
        return properties;
    }

    public Path guestSocket(String domain) {
        return vmDir.resolve(domain).resolve("guest.qmp");
    }

    public String mainDomain() {
        return domains.get(0);
    }
}
