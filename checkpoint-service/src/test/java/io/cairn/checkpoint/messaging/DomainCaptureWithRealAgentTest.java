package io.cairn.checkpoint.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A created checkpoint captures the domain as its real QEMU reports it ({@code <domain>} inside
 * {@code <domaincheckpoint>}: name, UUID, disks), GetXMLDesc leaves it out with NO_DOMAIN and shows the same with
 * SECURE (nothing secret in it); REDEFINE with an embedded domain checks its UUID and aligns the disks against it,
 * with libvirt's errors.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class DomainCaptureWithRealAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final String VM_UUID = UUID.randomUUID().toString();
    private static AgentProcess agent;
    private static GuestlessQemu qemu;
    private static String domain;

    @Inject
    HostDirectory hosts;

    @BeforeAll
    static void startAgentAndQemu() {
        domain = "capture-" + UUID.randomUUID().toString().substring(0, 8);
        agent = AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap());
        qemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain).uuid(VM_UUID)
                .disk("vda", 8L << 20).disk("vdb", 8L << 20).start();
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
    void aCheckpointCapturesTheDomainAndARedefinitionIsHeldToIt() throws Exception {
        await().atMost(WAIT).until(() -> hosts.find(domain).map(p -> VM_UUID.equals(p.domain().uuid()))
                .orElse(false));
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS)) {
            JsonNode created = send(probe, "<domaincheckpoint><name>c1</name></domaincheckpoint>", false);
            assertThat(created.get("type").asText()).as(created.toString()).isEqualTo("checkpoint-created");

            String dump = xml("");
            String vda = qemu.disk("vda").image().toString();
            assertThat(dump).contains("<domain type='kvm'>", "<name>" + domain + "</name>",
                    "<uuid>" + VM_UUID + "</uuid>", "<driver name='qemu' type='qcow2'/>",
                    "<source file='" + vda + "'/>", "<target dev='vda'/>", "<target dev='vdb'/>");
            assertThat(xml("?flags=SECURE")).as("no secrets in a synthesized domain").isEqualTo(dump);
            assertThat(xml("?flags=NO_DOMAIN")).doesNotContain("<domain type=").contains("<name>c1</name>");

            String otherUuid = UUID.randomUUID().toString();
            assertRejected(send(probe, redefinition("r1", otherUuid, "vda"), true), "VIR_ERR_INVALID_ARG", 8,
                    "definition for checkpoint r1 must use uuid " + VM_UUID);
            assertRejected(send(probe, redefinition("r1", VM_UUID, "vdz"), true), "VIR_ERR_CONFIG_UNSUPPORTED", 67,
                    "no disk named 'vdz'");

            JsonNode redefined = send(probe, redefinition("r1", VM_UUID, "vda"), true);
            assertThat(redefined.get("type").asText()).as(redefined.toString()).isEqualTo("checkpoint-created");
            assertThat(redefined.at("/checkpoint/disks")).as("aligned against the embedded domain")
                    .extracting(d -> d.get("name").asText() + "=" + d.get("checkpoint").asText())
                    .containsExactly("vda=bitmap", "vdb=no");
        }
    }

    private static String redefinition(String name, String uuid, String disk) {
        return "<domaincheckpoint><name>" + name + "</name><creationTime>1700000000</creationTime><disks>"
                + "<disk name='" + disk + "' checkpoint='bitmap'/></disks><domain type='kvm'><name>" + domain
                + "</name><uuid>" + uuid + "</uuid><devices>"
                + "<disk type='file' device='disk'><source file='/images/a.qcow2'/><target dev='vda'/></disk>"
                + "<disk type='file' device='disk'><source file='/images/b.qcow2'/><target dev='vdb'/></disk>"
                + "</devices></domain></domaincheckpoint>";
    }

    private static String xml(String query) {
        return RestAssured.given().accept("application/xml").get("/api/v1/domains/" + domain + "/checkpoints/c1"
                + query).then().statusCode(200).extract().asString();
    }

    private static void assertRejected(JsonNode event, String code, int number, String message) {
        assertThat(event.get("type").asText()).as(event.toString()).isEqualTo("command-rejected");
        assertThat(event.at("/error/code").asText()).isEqualTo(code);
        assertThat(event.at("/error/number").asInt()).isEqualTo(number);
        assertThat(event.at("/error/message").asText()).isEqualTo(message);
    }

    private static JsonNode send(TopicProbe probe, String checkpointXml, boolean redefine) throws Exception {
        String commandId = "capture-" + UUID.randomUUID();
        ObjectNode command = JSON.createObjectNode().put("commandId", commandId).put("type", "checkpoint.create")
                .put("domain", domain).put("checkpointXml", checkpointXml);
        if (redefine) {
            command.set("flags", JSON.createArrayNode().add("REDEFINE"));
        }
        probe.send(Topics.CHECKPOINT_COMMANDS, domain, command.toString());
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.value().contains(
                "\"commandId\":\"" + commandId + "\""), 1, WAIT);
        assertThat(found).as("outcome of %s (agent log:%n%s)", commandId, agent.log()).hasSize(1);
        return JSON.readTree(found.get(0).value());
    }
}
