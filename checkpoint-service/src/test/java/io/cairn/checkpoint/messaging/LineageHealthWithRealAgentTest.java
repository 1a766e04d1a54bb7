package io.cairn.checkpoint.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * libvirt's most reported failure, caught: QEMU dies, the checkpoint's bitmap is gone from the image, and Cairn
 * marks the checkpoint broken (event checkpoint-broken) instead of letting a later incremental read a wrong base.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class LineageHealthWithRealAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = CairnJson.mapper();

    @Inject
    HostDirectory hosts;

    @Test
    void aCheckpointWhoseBitmapDiedWithQemuIsMarkedBroken() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        String domain = "health-vm-" + UUID.randomUUID().toString().substring(0, 8);
        try (AgentProcess agent = AgentProcess.start(bootstrap);
                GuestlessQemu qemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain)
                        .disk("vda", 16L << 20).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, Topics.CHECKPOINT_EVENTS)) {
            agent.adopt(domain, qemu.qmpSocket());
            await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
            String create = "create-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.createObjectNode().put("commandId", create)
                    .put("type", "checkpoint.create").put("domain", domain)
                    .put("checkpointXml", "<domaincheckpoint><name>h1</name></domaincheckpoint>").toString());
            assertThat(probe.await(r -> r.value().contains("\"commandId\":\"" + create + "\"")
                    && r.value().contains("checkpoint-created"), WAIT)).as("created:%n%s", agent.log()).isPresent();

            // A bitmap made behind Cairn's back (another tool, a hand-run QMP command) is reported as unowned.
            try (QmpProbe qmp = QmpProbe.connect(qemu)) {
                qmp.execute("block-dirty-bitmap-add", QmpProbe.arguments().put("node",
                        qemu.disk("vda").formatNodeName()).put("name", "stray").put("persistent", true));
            }
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/domains/" + domain + "/bitmaps").then()
                    .statusCode(200)
                    .body("find { it.bitmap == 'h1' }.checkpoint", equalTo("h1"))
                    .body("find { it.bitmap == 'h1' }.unowned", equalTo(false))
                    .body("find { it.bitmap == 'stray' }.unowned", equalTo(true))
                    .body("find { it.bitmap == 'stray' }.disk", equalTo("vda")));
            given().get("/api/v1/domains/no-such-vm/bitmaps").then().statusCode(404)
                    .body("code", equalTo("VIR_ERR_NO_DOMAIN"));

            // A bitmap added since QEMU started exists only in memory: kill -9 loses it.
            qemu.kill9();
            qemu.restart();

            var broken = probe.await(r -> r.key().equals(domain) && r.value().contains("\"type\":\"checkpoint-broken\""),
                    WAIT);
            assertThat(broken).as("checkpoint-broken:%n%s", agent.log()).isPresent();
            JsonNode event = JSON.readTree(broken.get().value());
            assertThat(event.get("checkpoint").asText()).isEqualTo("h1");
            assertThat(event.at("/disks/0/disk").asText()).isEqualTo("vda");
            assertThat(event.at("/disks/0/problem").asText()).isEqualTo("missing");
            given().get("/api/v1/domains/" + domain + "/checkpoints/h1").then().statusCode(200)
                    .body("health", equalTo("broken"));
        }
    }
}
