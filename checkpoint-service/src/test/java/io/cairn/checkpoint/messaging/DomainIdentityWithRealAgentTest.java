package io.cairn.checkpoint.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A VM re-created under the same name with another UUID (QEMU's -uuid, reported by a real agent's query-uuid) is
 * another VM: its old lineage is retired (lineage-retired, listed at retired-lineages), never mixed with the new one,
 * which starts empty and may reuse the old names.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class DomainIdentityWithRealAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final String FIRST_UUID = UUID.randomUUID().toString();
    private static final String SECOND_UUID = UUID.randomUUID().toString();
    private static AgentProcess agent;
    private static GuestlessQemu first;
    private static GuestlessQemu second;
    private static String domain;

    @Inject
    HostDirectory hosts;

    @BeforeAll
    static void startAgentAndQemu() {
        domain = "identity-" + UUID.randomUUID().toString().substring(0, 8);
        agent = AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap());
        first = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain).uuid(FIRST_UUID)
                .disk("vda", 8L << 20).start();
        agent.adopt(domain, first.qmpSocket());
    }

    @AfterAll
    static void stop() {
        for (GuestlessQemu vm : new GuestlessQemu[] {first, second}) {
            if (vm != null) {
                vm.close();
            }
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aVmRecreatedWithAnotherUuidStartsANewLineageAndTheOldOneIsRetired() throws Exception {
        await().atMost(WAIT).until(() -> FIRST_UUID.equals(uuidReported()));
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS)) {
            assertThat(create(probe, "c1").get("type").asText()).isEqualTo("checkpoint-created");

            // The VM is re-created: same name, another UUID, new disks.
            first.close();
            Files.delete(agent.qmpDir().resolve(domain + ".qmp"));
            second = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain).uuid(SECOND_UUID)
                    .disk("vda", 8L << 20).start();
            agent.adopt(domain, second.qmpSocket());
            await().atMost(WAIT).until(() -> SECOND_UUID.equals(uuidReported()));

            JsonNode retired = JSON.readTree(probe.awaitCount(r -> r.value().contains("\"lineage-retired\"")
                    && r.value().contains("\"domain\":\"" + domain + "\""), 1, WAIT).get(0).value());
            assertThat(retired.get("uuid").asText()).isEqualTo(FIRST_UUID);
            assertThat(retired.get("newUuid").asText()).isEqualTo(SECOND_UUID);
            assertThat(retired.get("checkpoints")).extracting(JsonNode::asText).containsExactly("c1");
            assertThat(retired.has("commandId")).isFalse();

            // The new VM's lineage is empty, and the old name is free for it.
            RestAssured.given().get("/api/v1/domains/" + domain + "/checkpoints").then().statusCode(200)
                    .body("size()", org.hamcrest.Matchers.is(0));
            JsonNode again = create(probe, "c1");
            assertThat(again.get("type").asText()).as(again.toString()).isEqualTo("checkpoint-created");
            assertThat(again.at("/checkpoint/parent").isMissingNode()).as("a root of the new lineage").isTrue();

            JsonNode listed = JSON.readTree(RestAssured.given().get("/api/v1/domains/" + domain
                    + "/retired-lineages").then().statusCode(200).extract().asString());
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("uuid").asText()).isEqualTo(FIRST_UUID);
            assertThat(listed.get(0).get("newUuid").asText()).isEqualTo(SECOND_UUID);
            assertThat(listed.get(0).get("currentCheckpoint").asText()).isEqualTo("c1");
            assertThat(listed.get(0).at("/checkpoints/0/name").asText()).isEqualTo("c1");
        }
    }

    private String uuidReported() {
        return hosts.find(domain).map(placement -> placement.domain().uuid()).filter(Objects::nonNull).orElse(null);
    }

    private JsonNode create(TopicProbe probe, String name) throws Exception {
        String commandId = "create-" + UUID.randomUUID();
        probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.createObjectNode().put("commandId", commandId)
                .put("type", "checkpoint.create").put("domain", domain).put("checkpointXml",
                        "<domaincheckpoint><name>" + name + "</name></domaincheckpoint>").toString());
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.value().contains(
                "\"commandId\":\"" + commandId + "\""), 1, WAIT);
        assertThat(found).as("outcome of %s (agent log:%n%s)", commandId, agent.log()).hasSize(1);
        return JSON.readTree(found.get(0).value());
    }
}
