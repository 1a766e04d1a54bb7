package io.cairn.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the benchmark finds Cairn, its VM and the services' trace spans, and how much it measures. Defaults are what
 * 'deploy/local/cairn up' starts and what 'deploy/local/cairn bench' passes.
 *
 * @param kafkaBootstrap Kafka bootstrap servers
 * @param kafkaLogin     {@code sasl.jaas.config} of the broker's admin: the benchmark also measures the broker alone
 *                       on a topic of its own ({@code cairn.bench.ping}), which a user principal may not create
 * @param checkpointUrl  checkpoint-service's REST base URL
 * @param backupUrl      backup-service's REST base URL
 * @param token          bearer token, operator of the benchmark's domains
 * @param domain         the benchmark VM, adopted by the host agent; QEMU alone is driven through its second monitor
 * @param guestQmp       that second monitor: the same QEMU and the same disk, without Cairn
 * @param workDir        where backup targets and NBD sockets go (inside the agent's storage root for the domain)
 * @param traceFile      the services' and agent's span file ({@code CAIRN_TRACE_FILE}); no breakdown without it
 * @param runDir         the pid files of the services and agent (footprint)
 * @param outputDir      where the table is written, one file per run
 * @param reps           samples per control-plane path
 * @param dataReps       samples per data-plane path (each copies the disk or its dirty part)
 * @param burst          commands in the burst
 * @param burstDomains   domains the burst is spread over
 */
record BenchSettings(String kafkaBootstrap, String kafkaLogin, String checkpointUrl, String backupUrl, String token,
        String domain, Path guestQmp, Path workDir, Path traceFile, Path runDir, Path outputDir, int reps,
        int dataReps, int burst, int burstDomains) {

    static BenchSettings fromEnvironment(Map<String, String> env, int reps, int dataReps, int burst,
            int burstDomains) {
        Path state = Path.of(env.getOrDefault("CAIRN_STATE_DIR", ".cairn"));
        String domain = env.getOrDefault("CAIRN_BENCH_DOMAIN", "bench-vm");
        return new BenchSettings(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
                required(env, "KAFKA_SASL_JAAS_CONFIG", "the broker admin's login"),
                env.getOrDefault("CAIRN_CHECKPOINT_URL", "http://127.0.0.1:18081"),
                env.getOrDefault("CAIRN_BACKUP_URL", "http://127.0.0.1:18082"),
                required(env, "CAIRN_TOKEN", "a bearer token (deploy/local/cairn token --domains 'bench-*')"),
                domain,
                Path.of(env.getOrDefault("CAIRN_BENCH_GUEST_QMP",
                        state.resolve("vms").resolve(domain).resolve("guest.qmp").toString())),
                Path.of(env.getOrDefault("CAIRN_BENCH_WORK_DIR",
                        state.resolve("storage").resolve(domain).resolve("bench").toString())),
                Path.of(env.getOrDefault("CAIRN_TRACE_FILE", state.resolve("logs/traces.jsonl").toString())),
                Path.of(env.getOrDefault("CAIRN_RUN_DIR", state.resolve("run").toString())),
                Path.of(env.getOrDefault("CAIRN_BENCH_OUTPUT_DIR", state.resolve("bench").toString())),
                reps, dataReps, burst, burstDomains);
    }

    private static String required(Map<String, String> env, String name, String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set: " + what);
        }
        return value;
    }

    /** Settings every Kafka client of the benchmark starts from. */
    Properties kafkaClient() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafkaBootstrap);
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("sasl.jaas.config", kafkaLogin);
        return properties;
    }
}
