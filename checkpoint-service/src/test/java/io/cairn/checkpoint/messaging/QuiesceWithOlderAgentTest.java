package io.cairn.checkpoint.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A host agent from before QUIESCE ignores the request's quiesce field and answers a bitmaps.add without a frozen
 * count: the service must not pass those bitmaps off as a quiesced checkpoint. It takes them back and refuses.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class QuiesceWithOlderAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();

    @Inject
    HostDirectory hosts;

    @Test
    void anAnswerWithoutAFrozenCountIsTakenBackAndRefused() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String host = "older-" + suffix;
        String domain = "older-vm-" + suffix;
        String principal = KafkaProvisioner.onboardHost(bootstrap, host);
        hosts.remember(new HostInventory(host, Instant.now(), List.of(new DomainInventory(domain, "running",
                List.of(new DiskInventory("vda", "drive-vda", "/var/lib/cairn/" + domain + ".qcow2", "qcow2", 1 << 20,
                        false, List.of())), List.of()))));
        List<JsonNode> requests = new CopyOnWriteArrayList<>();

        try (KafkaConsumer<String, String> commands = new KafkaConsumer<>(client(bootstrap, principal, host));
                KafkaProducer<String, String> results = new KafkaProducer<>(client(bootstrap, principal, host));
                TopicProbe probe = TopicProbe.watching(bootstrap, Topics.CHECKPOINT_EVENTS)) {
            commands.subscribe(List.of(AgentTopics.commands(host)));
            String commandId = "older-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.createObjectNode().put("commandId", commandId)
                    .put("type", "checkpoint.create").put("domain", domain)
                    .<ObjectNode>set("checkpoint", JSON.createObjectNode().put("name", "q1"))
                    .<ObjectNode>set("flags", JSON.createArrayNode().add("QUIESCE")).toString());

            // The older agent: does what it understands and answers every request with success, no frozen count.
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, String> record : commands.poll(Duration.ofMillis(200))) {
                    JsonNode request = JSON.readTree(record.value());
                    requests.add(request);
                    AgentResult answer = new AgentResult(request.get("requestId").asText(), host, domain,
                            request.get("type").asText(), true, null, List.of(), Instant.now());
                    results.send(new ProducerRecord<>(AgentTopics.results(host), domain,
                            JSON.writeValueAsString(answer))).get();
                }
                return requests.stream().anyMatch(r -> r.get("type").asText().equals("bitmaps.remove"));
            });

            List<ConsumerRecord<String, String>> outcome = probe.awaitCount(r -> r.value().contains(commandId), 1, WAIT);
            JsonNode rejected = JSON.readTree(outcome.get(0).value());
            assertThat(rejected.get("type").asText()).as(rejected.toString()).isEqualTo("command-rejected");
            assertThat(rejected.at("/error/code").asText()).isEqualTo("VIR_ERR_ARGUMENT_UNSUPPORTED");
            assertThat(rejected.at("/error/message").asText()).isEqualTo("argument unsupported: the host agent of '"
                    + host + "' cannot quiesce (it predates QUIESCE); the checkpoint was not created");
            assertThat(requests).extracting(r -> r.get("type").asText()).containsExactly("bitmaps.add",
                    "bitmaps.remove");
            assertThat(requests.get(0).get("quiesce").asBoolean()).as("the service asked for quiesce").isTrue();
            assertThat(requests.get(1).get("bitmaps")).as("the same bitmaps taken back")
                    .isEqualTo(requests.get(0).get("bitmaps"));
        }
    }

    private static Map<String, Object> client(String bootstrap, String principal, String host) {
        Map<String, Object> config = new HashMap<>(KafkaAccess.client(bootstrap, principal));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "cairn-agent-" + host);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }
}
