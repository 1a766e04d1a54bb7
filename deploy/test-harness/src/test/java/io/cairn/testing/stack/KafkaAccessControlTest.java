package io.cairn.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka principal can do what its ACLs say and nothing else, on the real local broker: a principal without
 * ACLs, a wrong password, one host's agent reaching for another host's topics, a user reaching for internal topics.
 * Each refusal is the broker's, and a refused write leaves the topic as it was.
 */
class KafkaAccessControlTest {
    private final String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();

    @Test
    void aPrincipalWithoutAclsIsRefusedAndWritesNothing() throws Exception {
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(KafkaAccess.admin(bootstrap))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(nobody,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), KafkaAccess.password(nobody))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        long before = endOffsets(Topics.CHECKPOINT_COMMANDS);

        Throwable refused = produce(KafkaAccess.client(bootstrap, nobody), Topics.CHECKPOINT_COMMANDS);

        assertThat(refused).isInstanceOf(TopicAuthorizationException.class);
        assertThat(endOffsets(Topics.CHECKPOINT_COMMANDS)).as("nothing was written").isEqualTo(before);
    }

    @Test
    void aWrongPasswordIsRefusedAtLogin() {
        Map<String, Object> forged = KafkaAccess.client(bootstrap, KafkaAccess.ADMIN);
        forged.put("sasl.jaas.config", KafkaAccess.jaas(KafkaAccess.ADMIN, "not-the-password"));

        assertThat(produce(forged, Topics.CHECKPOINT_COMMANDS)).isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void oneHostCanNeitherReadAnotherHostsWorkNorReportForIt() throws Exception {
        String hostA = "acl-a-" + UUID.randomUUID().toString().substring(0, 8);
        String hostB = "acl-b-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> agentA = KafkaAccess.client(bootstrap, KafkaProvisioner.onboardHost(bootstrap, hostA));
        KafkaProvisioner.onboardHost(bootstrap, hostB);
        long resultsOfB = endOffsets(AgentTopics.results(hostB));
        long inventoryOfB = endOffsets(AgentTopics.inventory(hostB));

        assertThat(produce(agentA, AgentTopics.results(hostA))).as("its own results topic").isNull();
        assertThat(produce(agentA, AgentTopics.results(hostB))).isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(agentA, AgentTopics.inventory(hostB))).isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(agentA, AgentTopics.commands(hostA))).as("nor write its own work")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(agentA, Topics.CHECKPOINT_EVENTS)).as("nor a public event")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(consume(agentA, AgentTopics.commands(hostB), "cairn-agent-" + hostA))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(consume(agentA, AgentTopics.commands(hostA), "cairn-agent-" + hostB))
                .as("nor use another host's group").isInstanceOf(GroupAuthorizationException.class);
        assertThat(consume(agentA, AgentTopics.commands(hostA), "cairn-agent-" + hostA)).as("its own work").isNull();
        assertThat(endOffsets(AgentTopics.results(hostB))).isEqualTo(resultsOfB);
        assertThat(endOffsets(AgentTopics.inventory(hostB))).isEqualTo(inventoryOfB);
    }

    @Test
    void aUserReadsEventsInItsOwnGroupsAndCannotTouchInternalTopics() throws Exception {
        String user = "acl-user-" + UUID.randomUUID().toString().substring(0, 8);
        String host = "acl-h-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProvisioner.onboardHost(bootstrap, host);
        KafkaProvisioner.addUser(bootstrap, user);
        Map<String, Object> client = KafkaAccess.client(bootstrap, user);

        assertThat(consume(client, Topics.CHECKPOINT_EVENTS, user + "-dashboard")).isNull();
        assertThat(consume(client, Topics.CHECKPOINT_EVENTS, "cairn-checkpoint-service"))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(consume(client, Topics.CHECKPOINT_COMMANDS, user + "-peek"))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(client, AgentTopics.commands(host))).isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(client, AgentTopics.results(host))).isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(client, Topics.BACKUP_EVENTS)).isInstanceOf(TopicAuthorizationException.class);
    }

    /** Sends one record; answers the root failure, or null when the broker took it. */
    private static Throwable produce(Map<String, Object> client, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "acl-test", "{\"probe\":true}")).get(30, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            return root(e);
        }
    }

    /** Polls once in {@code group}; answers the root failure, or null when the broker let it read. */
    private static Throwable consume(Map<String, Object> client, String topic, String group) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // A group may be assigned partitions of a topic it can only describe (WRITE implies DESCRIBE);
            // the refusal of READ comes with the first fetch, which the poll after it throws. So the verdict
            // waits for the assignment and for a fetch answered by the broker.
            while ((consumer.assignment().isEmpty() || fetchesAnswered(consumer) == 0)
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            if (consumer.assignment().isEmpty() || fetchesAnswered(consumer) == 0) {
                return new AssertionError("no partitions or no fetch answered within 20 s");
            }
            consumer.poll(Duration.ofMillis(200));
            return null;
        } catch (Exception e) {
            return root(e);
        }
    }

    /** The fetch responses this consumer has received, from its own metrics. */
    private static double fetchesAnswered(KafkaConsumer<?, ?> consumer) {
        return consumer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("fetch-total")
                        && e.getKey().group().equals("consumer-fetch-manager-metrics")
                        && !e.getKey().tags().containsKey("topic"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private long endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(KafkaAccess.admin(bootstrap))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    /** The broker's refusal in the chain of causes, or the deepest cause when there is none. */
    private static Throwable root(Throwable e) {
        Throwable cause = e;
        while (!(cause instanceof TopicAuthorizationException || cause instanceof GroupAuthorizationException
                || cause instanceof SaslAuthenticationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
