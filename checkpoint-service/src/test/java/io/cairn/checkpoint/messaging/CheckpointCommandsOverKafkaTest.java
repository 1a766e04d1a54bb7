package io.cairn.checkpoint.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint commands through the real broker and database, as a user's service sends them: outcomes arrive as
 * events with CloudEvents headers, a duplicate has one effect, bad input is rejected with libvirt's error, and a
 * record that is not a command is dead-lettered while the consumer keeps going.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class CheckpointCommandsOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();

    private final String domain = "kafka-vm-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aRedefinitionIsAppliedOnceAndItsDuplicateGetsTheSameEvent() throws Exception {
        try (TopicProbe probe = probe()) {
            String commandId = "redefine-" + UUID.randomUUID();
            String command = redefine(commandId, "c1", null);

            probe.send(Topics.CHECKPOINT_COMMANDS, domain, command);
            ConsumerRecord<String, String> first = awaitEventFor(probe, commandId, 1).get(0);
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, command);
            List<ConsumerRecord<String, String>> both = awaitEventFor(probe, commandId, 2);

            JsonNode event = JSON.readTree(first.value());
            assertThat(event.get("type").asText()).isEqualTo("checkpoint-created");
            assertThat(event.get("redefined").asBoolean()).isTrue();
            assertThat(event.at("/checkpoint/name").asText()).isEqualTo("c1");
            assertThat(first.key()).isEqualTo(domain);
            assertThat(header(first, "ce_type")).isEqualTo("checkpoint-created");
            assertThat(header(first, "ce_subject")).isEqualTo(domain);
            assertThat(header(first, "ce_id")).isEqualTo(event.get("eventId").asText());
            assertThat(JSON.readTree(both.get(1).value())).as("the duplicate's outcome is the first one")
                    .isEqualTo(event);

            // One effect: deleting c1 (metadata only) removes exactly one checkpoint.
            String deleteId = "delete-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("commandId", deleteId).put("type", "checkpoint.delete").put("domain", domain)
                    .put("checkpoint", "c1").set("flags", JSON.createArrayNode().add("METADATA_ONLY"))));
            JsonNode deleted = JSON.readTree(awaitEventFor(probe, deleteId, 1).get(0).value());
            assertThat(deleted.get("type").asText()).isEqualTo("checkpoint-deleted");
            assertThat(deleted.get("checkpoints")).extracting(JsonNode::asText).containsExactly("c1");
            assertThat(deleted.get("metadataOnly").asBoolean()).isTrue();
        }
    }

    @Test
    void contractViolationsAndLibvirtErrorsComeBackAsRejections() throws Exception {
        try (TopicProbe probe = probe()) {
            String badFlags = "bad-flags-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("commandId", badFlags).put("type", "checkpoint.create").put("domain", domain)
                    .put("checkpointXml", "<domaincheckpoint><name>x</name></domaincheckpoint>")
                    .set("flags", JSON.createArrayNode().add("REDEFINE").add("QUIESCE"))));
            String unknown = "unknown-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("commandId", unknown).put("type", "checkpoint.delete").put("domain", domain)
                    .put("checkpoint", "nosuch").set("flags", JSON.createArrayNode().add("METADATA_ONLY"))));
            String orphan = "orphan-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, redefine(orphan, "c2", "missing-parent"));

            assertRejected(probe, badFlags, "VIR_ERR_INVALID_ARG", 8);
            assertRejected(probe, unknown, "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103);
            assertRejected(probe, orphan, "VIR_ERR_INVALID_ARG", 8);
        }
    }

    @Test
    void theLongestIdsTheContractAllowsGetTheirOutcome() throws Exception {
        // 256 characters of commandId and 255 of domain name are valid; the claim's columns once held 200, and such a
        // command got no outcome at all.
        String longId = ("long-" + UUID.randomUUID() + "-").repeat(8).substring(0, 256);
        String longDomain = ("d" + UUID.randomUUID().toString().replace("-", "")).repeat(8).substring(0, 255);
        try (TopicProbe probe = probe()) {
            probe.send(Topics.CHECKPOINT_COMMANDS, longDomain, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("commandId", longId).put("type", "checkpoint.create").put("domain", longDomain)
                    .put("checkpointXml", "<domaincheckpoint><name>x</name></domaincheckpoint>")));
            assertRejected(probe, longId, "VIR_ERR_NO_DOMAIN", 42);
        }
    }

    @Test
    void aRecordThatIsNoCommandIsDeadLetteredAndTheNextCommandStillRuns() throws Exception {
        try (TopicProbe probe = probe()) {
            String marker = "not-json-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, "{" + marker);
            String after = "after-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, redefine(after, "c3", null));

            ConsumerRecord<String, String> dead = probe.await(r -> r.topic().equals(Topics.CHECKPOINT_COMMANDS_DLQ)
                    && r.value().contains(marker), WAIT).orElseThrow(() -> new AssertionError("not dead-lettered"));
            assertThat(header(dead, "dead-letter-reason")).isNotBlank();
            assertThat(dead.key()).isEqualTo(domain);
            assertThat(JSON.readTree(awaitEventFor(probe, after, 1).get(0).value()).get("type").asText())
                    .isEqualTo("checkpoint-created");
        }
    }

    private TopicProbe probe() {
        return TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.CHECKPOINT_EVENTS,
                Topics.CHECKPOINT_COMMANDS_DLQ);
    }

    private String redefine(String commandId, String name, String parent) throws Exception {
        var checkpoint = JSON.createObjectNode().put("name", name).put("creationTime", 1_700_000_000L);
        if (parent != null) {
            checkpoint.put("parent", parent);
        }
        checkpoint.set("disks", JSON.createArrayNode().add(JSON.createObjectNode().put("name", "vda")
                .put("checkpoint", "bitmap").put("bitmap", name)));
        return JSON.writeValueAsString(JSON.createObjectNode().put("commandId", commandId)
                .put("type", "checkpoint.create").put("domain", domain).<com.fasterxml.jackson.databind.node.ObjectNode>set(
                        "checkpoint", checkpoint).set("flags", JSON.createArrayNode().add("REDEFINE")));
    }

    private static List<ConsumerRecord<String, String>> awaitEventFor(TopicProbe probe, String commandId, int count) {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.topic().equals(Topics.CHECKPOINT_EVENTS)
                && r.value().contains("\"commandId\":\"" + commandId + "\""), count, WAIT);
        assertThat(found).as("events for %s", commandId).hasSize(count);
        return found;
    }

    private static void assertRejected(TopicProbe probe, String commandId, String code, int number) throws Exception {
        JsonNode event = JSON.readTree(awaitEventFor(probe, commandId, 1).get(0).value());
        assertThat(event.get("type").asText()).isEqualTo("command-rejected");
        assertThat(event.at("/error/code").asText()).as(event.toString()).isEqualTo(code);
        assertThat(event.at("/error/number").asInt()).isEqualTo(number);
        assertThat(event.at("/error/message").asText()).isNotBlank();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
