package io.cairn.checkpoint.messaging;

import io.cairn.events.topic.AgentTopics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.StandInGuestAgent;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole checkpoint path with real parts: a command on Kafka, the checkpoint-service, a real host-agent process,
 * a real QEMU. Bitmaps appear in QEMU before the checkpoint appears in the lineage, a delete removes them, and a
 * duplicate or refused command leaves QEMU as it was.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class CheckpointsWithRealAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static AgentProcess agent;
    private static GuestlessQemu qemu;
    private static String domain;

    @Inject
    HostDirectory hosts;

    @BeforeAll
    static void startAgentAndQemu() {
        domain = "agent-vm-" + UUID.randomUUID().toString().substring(0, 8);
        agent = AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap());
        qemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain)
                .disk("vda", 32L << 20).disk("vdb", 32L << 20).start();
        agent.adopt(domain, qemu.qmpSocket());
    }

    @AfterAll
    static void stop() {
        if (qemu != null) {
            qemu.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void checkpointsLiveInQemuAndTheLineageTogether() throws Exception {
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS, AgentTopics.inventory(agent.hostId()))) {
            String first = "create-" + UUID.randomUUID();
            String createChk1 = command(first, "checkpoint.create")
                    .put("checkpointXml", "<domaincheckpoint><name>chk1</name><description>first</description>"
                            + "</domaincheckpoint>").toString();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, createChk1);
            JsonNode created = event(probe, first, 1).get(0);
            assertThat(created.get("type").asText()).as(created.toString()).isEqualTo("checkpoint-created");
            assertThat(created.get("redefined").asBoolean()).isFalse();
            assertThat(created.at("/checkpoint/disks")).extracting(d -> d.get("name").asText() + "=" + d.get("bitmap")
                    .asText()).containsExactly("vda=chk1", "vdb=chk1");
            assertThat(bitmapsInQemu(probe, Set.of("chk1"))).containsEntry("vda", Set.of("chk1"))
                    .containsEntry("vdb", Set.of("chk1"));

            probe.send(Topics.CHECKPOINT_COMMANDS, domain, createChk1);
            assertThat(event(probe, first, 2).get(1)).as("a duplicate gets the first outcome").isEqualTo(created);

            String second = "create-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, command(second, "checkpoint.create").<ObjectNode>set(
                    "checkpoint", JSON.createObjectNode().put("name", "chk2")).toString());
            JsonNode chk2 = event(probe, second, 1).get(0);
            assertThat(chk2.at("/checkpoint/parent").asText()).as(chk2.toString()).isEqualTo("chk1");
            // GetXMLDesc(SIZE): the host measures the bytes dirtied since chk2; nothing was written since.
            io.restassured.RestAssured.given().accept("application/xml")
                    .get("/api/v1/domains/" + domain + "/checkpoints/chk2?flags=SIZE").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("<disk name='vda' checkpoint='bitmap' bitmap='chk2' "
                            + "size='0'/>"));

            String clash = "clash-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, command(clash, "checkpoint.create")
                    .put("checkpointXml", "<domaincheckpoint><name>chk2</name></domaincheckpoint>").toString());
            assertThat(event(probe, clash, 1).get(0).at("/error/code").asText()).isEqualTo("VIR_ERR_OPERATION_FAILED");

            String mismatch = "mismatch-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, command(mismatch, "checkpoint.create")
                    .put("checkpointXml", "<domaincheckpoint><name>chk3</name><disks><disk name='vda' "
                            + "checkpoint='bitmap' bitmap='other'/></disks></domaincheckpoint>").toString());
            assertThat(event(probe, mismatch, 1).get(0).at("/error/number").asInt()).isEqualTo(67);

            String delete = "delete-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, command(delete, "checkpoint.delete")
                    .put("checkpoint", "chk1").toString());
            JsonNode deleted = event(probe, delete, 1).get(0);
            assertThat(deleted.get("type").asText()).as(deleted.toString()).isEqualTo("checkpoint-deleted");
            assertThat(deleted.get("checkpoints")).extracting(JsonNode::asText).containsExactly("chk1");
            assertThat(bitmapsInQemu(probe, Set.of("chk2"))).as("chk1's bitmaps are gone, chk2's stay; nothing else")
                    .containsEntry("vda", Set.of("chk2")).containsEntry("vdb", Set.of("chk2"));
        }
    }

    /**
     * QUIESCE carried from the command to the agent: refused as libvirt does while the domain has no guest-agent
     * channel (nothing frozen, no bitmap), and with a stand-in qemu-ga at {@code <domain>.qga} in the agent's QMP
     * directory the guest is frozen around the bitmaps and the outcome says how many file systems were frozen.
     */
    @Test
    void quiesceFreezesTheGuestAroundTheBitmapsOrIsRefusedWithoutAChannel() throws Exception {
        String quiet = "quiet-vm-" + UUID.randomUUID().toString().substring(0, 8);
        try (GuestlessQemu quietQemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(quiet)
                .disk("vda", 32L << 20).start();
                TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                        Topics.CHECKPOINT_EVENTS)) {
            agent.adopt(quiet, quietQemu.qmpSocket());
            await().atMost(WAIT).until(() -> hosts.find(quiet).isPresent());

            String refused = "quiesce-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, quiet, quiesced(refused, quiet, "q1"));
            JsonNode rejected = event(probe, refused, 1).get(0);
            assertThat(rejected.get("type").asText()).as(rejected.toString()).isEqualTo("command-rejected");
            assertThat(rejected.at("/error/number").asInt()).isEqualTo(74);
            assertThat(rejected.at("/error/message").asText())
                    .isEqualTo("argument unsupported: QEMU guest agent is not configured");

            try (StandInGuestAgent guest = new StandInGuestAgent(agent.qmpDir().resolve(quiet + ".qga"))) {
                String accepted = "quiesce-" + UUID.randomUUID();
                probe.send(Topics.CHECKPOINT_COMMANDS, quiet, quiesced(accepted, quiet, "q1"));
                JsonNode created = event(probe, accepted, 1).get(0);
                assertThat(created.get("type").asText()).as(created.toString()).isEqualTo("checkpoint-created");
                assertThat(created.get("frozenFilesystems").asInt()).isEqualTo(3);
                assertThat(guest.commands()).containsExactly("guest-sync-delimited", "guest-fsfreeze-freeze",
                        "guest-fsfreeze-thaw");
                assertThat(guest.frozen()).isFalse();
            }
        }
    }

    private static String quiesced(String commandId, String domainName, String name) {
        return JSON.createObjectNode().put("commandId", commandId).put("type", "checkpoint.create")
                .put("domain", domainName).<ObjectNode>set("checkpoint", JSON.createObjectNode().put("name", name))
                .<ObjectNode>set("flags", JSON.createArrayNode().add("QUIESCE")).toString();
    }

    private static ObjectNode command(String commandId, String type) {
        return JSON.createObjectNode().put("commandId", commandId).put("type", type).put("domain", domain);
    }

    private static List<JsonNode> event(TopicProbe probe, String commandId, int count) {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.topic().equals(Topics.CHECKPOINT_EVENTS)
                && r.value().contains("\"commandId\":\"" + commandId + "\""), count, WAIT);
        assertThat(found).as("events for %s (agent log:%n%s)", commandId, agent.log()).hasSize(count);
        return found.stream().map(r -> {
            try {
                return JSON.readTree(r.value());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** The named bitmaps per disk from the first inventory of this domain that shows exactly {@code expected}. */
    private static java.util.Map<String, Set<String>> bitmapsInQemu(TopicProbe probe, Set<String> expected) {
        var matching = probe.await(r -> r.topic().equals(AgentTopics.inventory(agent.hostId()))
                && bitmapsOf(r.value()).values().stream().allMatch(expected::equals)
                && !bitmapsOf(r.value()).isEmpty(), WAIT);
        assertThat(matching).as("an inventory with bitmaps %s on every disk", expected).isPresent();
        return bitmapsOf(matching.get().value());
    }

    private static java.util.Map<String, Set<String>> bitmapsOf(String inventoryJson) {
        try {
            var inventory = JSON.readValue(inventoryJson, io.cairn.events.agent.HostInventory.class);
            return inventory.domains().stream().filter(d -> d.name().equals(domain)).findFirst()
                    .map(d -> d.disks().stream().collect(Collectors.toMap(DiskInventory::device,
                            disk -> disk.bitmaps().stream().map(b -> b.name()).collect(Collectors.toSet()))))
                    .orElse(java.util.Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
