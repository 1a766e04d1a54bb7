package io.cairn.checkpoint.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.core.agent.HostDirectory;
import io.cairn.core.agent.ReportOrigin;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.AgentTopics;
import io.cairn.testing.stack.KafkaAccess;
import io.cairn.testing.stack.KafkaProvisioner;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A host's agent that claims to be another host, on the only topics its credentials may write (its own), is not
 * believed: its inventory places nothing and its answer answers nothing, and each forged record is counted.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class ForgedAgentReportTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    HostDirectory hosts;

    @Inject
    ReportOrigin origin;

    @Test
    void aReportClaimingAnotherHostIsRefusedAndCounted() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String liar = "liar-" + suffix;
        String victim = "victim-" + suffix;
        KafkaProvisioner.onboardHost(bootstrap, victim);
        Map<String, Object> config = new HashMap<>(KafkaAccess.client(bootstrap,
                KafkaProvisioner.onboardHost(bootstrap, liar)));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        double inventoriesBefore = origin.refused("inventory");
        double resultsBefore = origin.refused("result");
        String stolen = "stolen-vm-" + suffix;
        String own = "own-vm-" + suffix;

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // Its own topics, the claim another host's: the domain would be placed on the victim, the answer would
            // answer whoever waits for the victim.
            send(producer, AgentTopics.inventory(liar), victim, new HostInventory(victim, Instant.now(),
                    List.of(new DomainInventory(stolen, "running", List.of(), List.of()))));
            send(producer, AgentTopics.results(liar), stolen, new AgentResult("forged-" + suffix, victim, stolen,
                    "bitmaps.add", true, null, List.of(), Instant.now()));
            // Then the truth about itself, on the same partition: once it is seen, the forgery was read before it.
            send(producer, AgentTopics.inventory(liar), liar, new HostInventory(liar, Instant.now(),
                    List.of(new DomainInventory(own, "running", List.of(), List.of()))));
        }

        await().atMost(WAIT).until(() -> hosts.find(own).isPresent());
        assertThat(hosts.find(own).orElseThrow().hostId()).isEqualTo(liar);
        assertThat(hosts.find(stolen)).as("the forged inventory placed nothing").isEmpty();
        assertThat(origin.refused("inventory")).isEqualTo(inventoriesBefore + 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(origin.refused("result")).isEqualTo(resultsBefore + 1));
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, Object value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, CairnJson.mapper().writeValueAsString(value)))
                .get(30, TimeUnit.SECONDS);
    }
}
