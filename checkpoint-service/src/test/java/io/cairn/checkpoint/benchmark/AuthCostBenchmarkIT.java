package io.cairn.checkpoint.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.KafkaProvisioner;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.PrivateKafka;
import io.cairn.testing.stack.StackAddresses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What authentication costs, measured in one run against the same thing without it: a REST read through a
 * checkpoint-service that verifies a bearer token and applies roles and domain scope, against one with security
 * switched off; and one Kafka hop (produce with acks=all, consume) as a SCRAM principal checked by ACLs, against an
 * anonymous client on the same broker. A command → event crosses four Kafka hops (command, agent request, agent
 * answer, event). Samples alternate between the two sides so drift on this machine hits both. The suite runs the
 * short version; {@code -Dcairn.bench.samples=2000} the long one. Figures go to target/benchmarks/auth-cost.txt.
 */
class AuthCostBenchmarkIT {
    private static final int SAMPLES = Integer.getInteger("cairn.bench.samples", 200);
    private static final int WARMUP = 50;
    private static final String DATABASE = "cairn_checkpoint_test";

    @Test
    void authenticationAddsLittleToARestCallAndNothingMeasurableToAKafkaHop() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("auth cost, %d samples per side after %d warm-up (median / p99, ms)", SAMPLES, WARMUP));
        lines.addAll(rest());
        lines.addAll(kafka());
        lines.forEach(line -> System.out.println("[benchmark] " + line));
        Path out = Path.of("target", "benchmarks", "auth-cost.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
    }

    private List<String> rest() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        // Their own command group: the benchmark's services must not take the suite's commands.
        String group = "-Dmp.messaging.incoming.checkpoint-commands.group.id=cairn-checkpoint-service-bench-"
                + UUID.randomUUID();
        try (ServiceProcess secured = ServiceProcess.start("checkpoint-service", stack, DATABASE, group);
                ServiceProcess open = ServiceProcess.start("checkpoint-service", stack, DATABASE, group,
                        "-Dcairn.security.enabled=false")) {
            HttpClient http = HttpClient.newHttpClient();
            String path = "/api/v1/domains/bench-vm/checkpoints";
            HttpRequest withToken = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + secured.port() + path))
                    .header("Authorization", ServiceProcess.authorization()).build();
            HttpRequest withoutToken = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.port() + path))
                    .build();
            Samples authenticated = new Samples();
            Samples anonymous = new Samples();
            for (int i = 0; i < WARMUP + SAMPLES; i++) {
                long a = timeGet(http, withToken);
                long b = timeGet(http, withoutToken);
                if (i >= WARMUP) {
                    authenticated.add(a);
                    anonymous.add(b);
                }
            }
            return List.of(
                    "REST GET checkpoints, bearer token + roles + scope: " + authenticated,
                    "REST GET checkpoints, security off:                 " + anonymous,
                    String.format("REST added by authentication: %+.3f ms median",
                            authenticated.median() - anonymous.median()));
        }
    }

    private static long timeGet(HttpClient http, HttpRequest request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long elapsed = System.nanoTime() - start;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return elapsed;
    }

    private List<String> kafka() throws Exception {
        try (PrivateKafka broker = PrivateKafka.launchWithOpenListener()) {
            String topic = "bench.auth";
            String user = "bench-auth";
            try (Admin admin = Admin.create(KafkaAccess.admin(broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), KafkaAccess.password(user))))
                        .all().get(30, TimeUnit.SECONDS);
                KafkaProvisioner.awaitCredential(admin, user);
                admin.createAcls(List.of(allow(user, topic, AclOperation.WRITE), allow(user, topic, AclOperation.READ)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> open = new HashMap<>(Map.of("bootstrap.servers", broker.openBootstrap()));
            try (Hop scram = new Hop(KafkaAccess.client(broker.bootstrap(), user), topic);
                    Hop anonymous = new Hop(open, topic)) {
                Samples authenticated = new Samples();
                Samples plain = new Samples();
                for (int i = 0; i < WARMUP + SAMPLES; i++) {
                    long a = scram.roundTrip(i);
                    long b = anonymous.roundTrip(i);
                    if (i >= WARMUP) {
                        authenticated.add(a);
                        plain.add(b);
                    }
                }
                double perHop = authenticated.median() - plain.median();
                return List.of(
                        "Kafka hop (acks=all produce → consume), SCRAM + ACLs: " + authenticated,
                        "Kafka hop, anonymous on the same broker:              " + plain,
                        String.format("Kafka added by authentication: %+.3f ms per hop, %+.3f ms per command → event "
                                + "(4 hops)", perHop, 4 * perHop));
            }
        }
    }

    private static AclBinding allow(String user, String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /** One producer and one consumer of the same partition: a record's way through the broker and back. */
    private static final class Hop implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final KafkaConsumer<String, String> consumer;
        private final String topic;

        Hop(Map<String, Object> client, String topic) {
            this.topic = topic;
            Map<String, Object> p = new HashMap<>(client);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(p);
            Map<String, Object> c = new HashMap<>(client);
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1);
            consumer = new KafkaConsumer<>(c);
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
        }

        long roundTrip(int sequence) throws Exception {
            String marker = UUID.randomUUID() + "-" + sequence;
            long start = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, marker, marker)).get(30, TimeUnit.SECONDS);
            long deadline = start + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key().equals(marker)) {
                        return System.nanoTime() - start;
                    }
                }
            }
            throw new AssertionError("record " + marker + " did not come back within 30 s");
        }

        @Override
        public void close() {
            producer.close();
            consumer.close();
        }
    }

    /** Latencies in nanoseconds, shown in milliseconds. */
    private static final class Samples {
        private final List<Long> nanos = new ArrayList<>();

        void add(long value) {
            nanos.add(value);
        }

        double median() {
            return percentile(0.5);
        }

        double percentile(double p) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1)) / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%.3f / %.3f", median(), percentile(0.99));
        }
    }
}
