package io.cairn.checkpoint.messaging;

import io.cairn.events.topic.AgentTopics;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.HostInventory;
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
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue #5: the lineage follows a domain to another host when its bitmaps travel, and turns broken when not. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class DomainMovesToAnotherHostTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final Path QEMU_DIR = Path.of("/tmp/cairn-qemu");
    private static final long DISK_SIZE = 16L << 20;

    /** Hosts shared by the tests (each test has its own domain); only {@code dying} is killed, by the one test using it. */
    private static AgentProcess dying;
    private static AgentProcess hostB;
    private static AgentProcess hostC;

    @Inject
    HostDirectory hosts;

    @BeforeAll
    static void startAgents() {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        dying = AgentProcess.start(bootstrap);
        hostB = AgentProcess.start(bootstrap);
        hostC = AgentProcess.start(bootstrap);
    }

    @AfterAll
    static void stopAgents() {
        for (AgentProcess agent : new AgentProcess[] {dying, hostB, hostC}) {
            if (agent != null) {
                agent.close();
            }
        }
    }

    @Test
    void theLineageFollowsADomainWhoseBitmapsTravelledWithItsDisk() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        String domain = "moved-vm-" + UUID.randomUUID().toString().substring(0, 8);
        try (GuestlessQemu qemu = GuestlessQemu.builder(QEMU_DIR).domain(domain).disk("vda", DISK_SIZE).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, watched())) {
            JsonNode c2 = placeWithTwoCheckpoints(probe, domain, qemu, dying);
            assertThat(c2.at("/checkpoint/parent").asText()).isEqualTo("c1");

            // The source host's agent dies with the domain still in its last inventory: that report never gets newer, so it
            // stays in every replica's directory for good and must lose to B's.
            dying.kill9();
            assertThat(lastInventoryOf(probe, dying).domains()).as("A's last word lists the domain")
                    .anyMatch(d -> d.name().equals(domain));
            // The migration: a clean stop writes the persistent bitmaps into the qcow2; B starts QEMU on the same images.
            qemu.stop();
            qemu.restart();
            hostB.adopt(domain, qemu.qmpSocket());
            awaitPlacedOn(domain, hostB);

            // Work goes to B: it measures c2's dirty size and validates c2's bitmap (the source's agent is dead;
            // routed there, both would time out).
            given().accept("application/xml").get("/api/v1/domains/" + domain + "/checkpoints/c2?flags=SIZE")
                    .then().statusCode(200).body(containsString("bitmap='c2' size='0'"));
            JsonNode validated = send(probe, domain, redefineValidate(domain, c2.get("checkpoint")), hostB);
            assertThat(validated.get("type").asText()).as(validated.toString()).isEqualTo("checkpoint-created");

            JsonNode c3 = create(probe, domain, "c3", hostB);
            assertThat(c3.at("/checkpoint/parent").asText()).as("c2 is still current").isEqualTo("c2");
            awaitInventoryOf(probe, hostB, domain, Set.of("c1", "c2", "c3"), Instant.EPOCH);

            // Let B report (and the service judge) well after c3 settled, then nothing may be broken.
            Instant settled = Instant.ofEpochSecond(c3.at("/checkpoint/creationTime").asLong()).plusSeconds(3);
            awaitInventoryOf(probe, hostB, domain, Set.of("c1", "c2", "c3"), settled);
            await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
                    given().get("/api/v1/domains/" + domain + "/checkpoints?flags=TOPOLOGICAL").then().statusCode(200)
                            .body("checkpoint.name", contains("c1", "c2", "c3"))
                            .body("checkpoint.parent", contains(null, "c1", "c2"))
                            .body("health", everyItem(equalTo("active"))));
            assertThat(probe.seen(r -> r.key().equals(domain) && r.value().contains("\"type\":\"checkpoint-broken\"")))
                    .as("no checkpoint-broken for a domain whose bitmaps moved with it").isEmpty();
            assertThat(hosts.require(domain).hostId()).isEqualTo(hostB.hostId());
        }
    }

    @Test
    void aMoveThatLeftTheBitmapsBehindBreaksTheCheckpoints() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        String domain = "copied-vm-" + UUID.randomUUID().toString().substring(0, 8);
        try (GuestlessQemu source = GuestlessQemu.builder(QEMU_DIR).domain(domain).disk("vda", DISK_SIZE).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, watched())) {
            JsonNode c2 = placeWithTwoCheckpoints(probe, domain, source, hostC);

            // The domain leaves C (its socket goes; C lives on and reports it gone) ...
            Files.delete(hostC.qmpDir().resolve(domain + ".qmp"));
            source.stop();
            try (GuestlessQemu target = GuestlessQemu.builder(QEMU_DIR).domain(domain).disk("vda", DISK_SIZE).start()) {
                // ... and lands on B with a copy of its data but not its bitmaps (convert copies them only with
                // --bitmaps).
                target.stop();
                convertWithoutBitmaps(source.disk("vda").image(), target.disk("vda").image());
                target.restart();
                hostB.adopt(domain, target.qmpSocket());
                awaitPlacedOn(domain, hostB);
                assertThat(probe.await(r -> r.topic().equals(AgentTopics.inventory(hostC.hostId()))
                        && inventory(r.value()).domains().stream().noneMatch(d -> d.name().equals(domain)), WAIT))
                        .as("C reports the domain gone").isPresent();

                List<ConsumerRecord<String, String>> broken = probe.awaitCount(r -> r.key().equals(domain)
                        && r.value().contains("\"type\":\"checkpoint-broken\""), 2, WAIT);
                assertThat(broken).as("checkpoint-broken for c1 and c2:%n%s", hostB.log()).hasSize(2);
                Set<String> names = broken.stream().map(r -> read(r.value()).get("checkpoint").asText())
                        .collect(Collectors.toSet());
                assertThat(names).containsExactlyInAnyOrder("c1", "c2");
                for (ConsumerRecord<String, String> event : broken) {
                    assertThat(read(event.value()).at("/disks/0/disk").asText()).isEqualTo("vda");
                    assertThat(read(event.value()).at("/disks/0/problem").asText()).isEqualTo("missing");
                }
                given().get("/api/v1/domains/" + domain + "/checkpoints/c2").then().statusCode(200)
                        .body("health", equalTo("broken")).body("brokenDisks[0].disk", equalTo("vda"))
                        .body("brokenDisks[0].bitmap", equalTo("c2")).body("brokenDisks[0].problem", equalTo("missing"));

                // What an incremental from c2 would check first: B has no such bitmap.
                JsonNode refused = send(probe, domain, redefineValidate(domain, c2.get("checkpoint")), hostB);
                assertThat(refused.get("type").asText()).as(refused.toString()).isEqualTo("command-rejected");
                assertThat(refused.at("/error/code").asText()).isEqualTo("VIR_ERR_CHECKPOINT_INCONSISTENT");
            }
        }
    }

    @Test
    void aDomainStillMigratingInNeitherTakesTheWorkNorBreaksTheLineage() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        String domain = "migrating-vm-" + UUID.randomUUID().toString().substring(0, 8);
        try (GuestlessQemu source = GuestlessQemu.builder(QEMU_DIR).domain(domain).disk("vda", DISK_SIZE).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, watched())) {
            JsonNode c2 = placeWithTwoCheckpoints(probe, domain, source, hostC);

            // A live migration's destination: QEMU waits for the incoming state on the shared images, which it
            // holds inactive, so it shows no bitmaps until the migration ends. B reports it all the same.
            try (IncomingQemu incoming = IncomingQemu.start(source)) {
                hostB.adopt(domain, incoming.qmpSocket());
                Instant settled = Instant.ofEpochSecond(c2.at("/checkpoint/creationTime").asLong()).plusSeconds(3);
                var report = probe.await(r -> r.topic().equals(AgentTopics.inventory(hostB.hostId())) && inventory(r.value()).time().isAfter(settled)
                        && inventory(r.value()).domains().stream().anyMatch(d -> d.name().equals(domain)
                                && d.runState().equals("inmigrate")), WAIT);
                assertThat(report).as("B reports the incoming domain:%n%s", hostB.log()).isPresent();

                // However new B's reports are, the domain runs on C: C does its work and the lineage stays whole.
                await().during(Duration.ofSeconds(4)).atMost(WAIT).until(() -> hosts.find(domain)
                        .map(p -> p.hostId().equals(hostC.hostId())).orElse(false));
                given().accept("application/xml").get("/api/v1/domains/" + domain + "/checkpoints/c2?flags=SIZE")
                        .then().statusCode(200).body(containsString("bitmap='c2' size='0'"));
                given().get("/api/v1/domains/" + domain + "/checkpoints").then().statusCode(200)
                        .body("health", everyItem(equalTo("active")));
                assertThat(probe.seen(r -> r.key().equals(domain)
                        && r.value().contains("\"type\":\"checkpoint-broken\"")))
                        .as("an incoming copy without bitmaps breaks nothing").isEmpty();
            } finally {
                Files.deleteIfExists(hostB.qmpDir().resolve(domain + ".qmp"));
            }
        }
    }

    /** The domain runs on {@code agent}'s host and has checkpoints c1 and c2 there; returns c2's created event. */
    private JsonNode placeWithTwoCheckpoints(TopicProbe probe, String domain, GuestlessQemu qemu, AgentProcess agent) {
        agent.adopt(domain, qemu.qmpSocket());
        awaitPlacedOn(domain, agent);
        create(probe, domain, "c1", agent);
        return create(probe, domain, "c2", agent);
    }

    private void awaitPlacedOn(String domain, AgentProcess agent) {
        await().atMost(WAIT).until(() -> hosts.find(domain).map(p -> p.hostId().equals(agent.hostId())).orElse(false));
    }

    private static JsonNode create(TopicProbe probe, String domain, String name, AgentProcess agent) {
        ObjectNode command = command(domain, "create-" + name)
                .put("checkpointXml", "<domaincheckpoint><name>" + name + "</name></domaincheckpoint>");
        JsonNode created = send(probe, domain, command, agent);
        assertThat(created.get("type").asText()).as(created.toString()).isEqualTo("checkpoint-created");
        return created;
    }

    /** libvirt's REDEFINE_VALIDATE of a known definition: the host must still hold the checkpoint's bitmaps. */
    private static ObjectNode redefineValidate(String domain, JsonNode definition) {
        ObjectNode command = command(domain, "validate");
        command.set("checkpoint", definition);
        command.set("flags", JSON.createArrayNode().add("REDEFINE").add("REDEFINE_VALIDATE"));
        return command;
    }

    private static ObjectNode command(String domain, String what) {
        return JSON.createObjectNode().put("commandId", what + "-" + UUID.randomUUID())
                .put("type", "checkpoint.create").put("domain", domain);
    }

    /** Sends a command and answers its one outcome event. */
    private static JsonNode send(TopicProbe probe, String domain, ObjectNode command, AgentProcess agent) {
        String commandId = command.get("commandId").asText();
        probe.send(Topics.CHECKPOINT_COMMANDS, domain, command.toString());
        var outcome = probe.await(r -> r.topic().equals(Topics.CHECKPOINT_EVENTS)
                && r.value().contains("\"commandId\":\"" + commandId + "\""), WAIT);
        assertThat(outcome).as("outcome of %s (agent log:%n%s)", commandId, agent.log()).isPresent();
        return read(outcome.get().value());
    }

    private static HostInventory lastInventoryOf(TopicProbe probe, AgentProcess agent) {
        List<ConsumerRecord<String, String>> reports = probe.awaitCount(r -> r.topic().equals(AgentTopics.inventory(agent.hostId())), 1, WAIT);
        assertThat(reports).as("an inventory of %s", agent.hostId()).isNotEmpty();
        List<ConsumerRecord<String, String>> all = probe.seen(r -> r.topic().equals(AgentTopics.inventory(agent.hostId())));
        return inventory(all.get(all.size() - 1).value());
    }

    /** Waits for a report of the agent, taken after {@code after}, showing exactly these bitmaps on the domain's vda. */
    private static void awaitInventoryOf(TopicProbe probe, AgentProcess agent, String domain, Set<String> bitmaps,
            Instant after) {
        var report = probe.await(r -> r.topic().equals(AgentTopics.inventory(agent.hostId()))
                && inventory(r.value()).time().isAfter(after) && inventory(r.value()).domains().stream()
                        .filter(d -> d.name().equals(domain)).flatMap(d -> d.disks().stream())
                        .filter(disk -> disk.device().equals("vda")).anyMatch(disk -> disk.bitmaps().stream()
                                .map(b -> b.name()).collect(Collectors.toSet()).equals(bitmaps)), WAIT);
        assertThat(report).as("an inventory of %s with bitmaps %s after %s", agent.hostId(), bitmaps, after)
                .isPresent();
    }

    private static void convertWithoutBitmaps(Path from, Path to) throws Exception {
        Process convert = new ProcessBuilder("qemu-img", "convert", "-f", "qcow2", "-O", "qcow2", from.toString(),
                to.toString()).redirectErrorStream(true).start();
        assertThat(convert.waitFor(60, TimeUnit.SECONDS)).as("qemu-img convert finished").isTrue();
        assertThat(convert.exitValue()).as(new String(convert.getInputStream().readAllBytes())).isZero();
    }

    private static HostInventory inventory(String json) {
        try {
            return JSON.readValue(json, HostInventory.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The lineage's events and every test host's inventory topic. */
    private static String[] watched() {
        return new String[] {Topics.CHECKPOINT_EVENTS, AgentTopics.inventory(dying.hostId()),
                AgentTopics.inventory(hostB.hostId()), AgentTopics.inventory(hostC.hostId())};
    }
}
