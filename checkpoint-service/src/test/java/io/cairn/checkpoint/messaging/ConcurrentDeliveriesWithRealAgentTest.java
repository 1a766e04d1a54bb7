package io.cairn.checkpoint.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.core.agent.HostDirectory;
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
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One commandId delivered twice at the same moment, over Kafka and over REST, with a real agent and QEMU. Before,
 * both deliveries added the bitmaps and wrote the lineage; the loser's lineage write failed and its undo removed the
 * winner's bitmaps, leaving a checkpoint without bitmaps. Now the first delivery claims the command before anything
 * happens and the other waits for its outcome: one checkpoint, its bitmaps in QEMU, one outcome (republished with
 * the same eventId at most).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class ConcurrentDeliveriesWithRealAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static AgentProcess agent;
    private static GuestlessQemu qemu;
    private static String domain;

    @Inject
    HostDirectory hosts;

    @BeforeAll
    static void startAgentAndQemu() {
        domain = "twin-vm-" + UUID.randomUUID().toString().substring(0, 8);
        agent = AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap());
        qemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain).disk("vda", 16L << 20).start();
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
    void twoDeliveriesOfOneCreateAtOnceActOnceAndNeitherUndoesTheOther() throws Exception {
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS); QmpProbe qmp = QmpProbe.connect(qemu)) {
            for (int round = 1; round <= 3; round++) {
                String name = "twin" + round;
                String commandId = "twin-" + UUID.randomUUID();
                String xml = "<domaincheckpoint><name>" + name + "</name></domaincheckpoint>";
                CompletableFuture<Integer> overRest = CompletableFuture.supplyAsync(() -> given()
                        .contentType(ContentType.XML).header("Idempotency-Key", commandId).body(xml)
                        .post("/api/v1/domains/{domain}/checkpoints", domain).statusCode());
                probe.send(Topics.CHECKPOINT_COMMANDS, domain, "{\"commandId\":\"" + commandId + "\",\"type\":"
                        + "\"checkpoint.create\",\"domain\":\"" + domain + "\",\"checkpointXml\":\"" + xml + "\"}");
                assertThat(overRest.get()).as("REST answers with the outcome or 202").isIn(200, 202);

                List<ConsumerRecord<String, String>> outcomes = probe.awaitCount(r -> r.value()
                        .contains("\"commandId\":\"" + commandId + "\""), 3, Duration.ofSeconds(5));
                assertThat(outcomes).as("round %d: agent log%n%s", round, agent.log()).isNotEmpty();
                Set<String> eventIds = outcomes.stream().map(r -> eventId(r.value())).collect(Collectors.toSet());
                assertThat(eventIds).as("one outcome, republished at most with its own eventId").hasSize(1);
                assertThat(outcomes.get(0).value()).contains("\"type\":\"checkpoint-created\"");

                String expected = name;
                int thisRound = round;
                await().atMost(WAIT).untilAsserted(() -> assertThat(qmp.bitmapNames(qemu.disk("vda").formatNodeName()))
                        .as("round %d: the winner's bitmap is still in QEMU", thisRound).contains(expected));
                given().get("/api/v1/domains/{domain}/checkpoints/{name}", domain, name).then().statusCode(200);
            }
        }
    }

    private static String eventId(String json) {
        int at = json.indexOf("\"eventId\":\"") + 11;
        return json.substring(at, json.indexOf('"', at));
    }
}
