package io.cairn.checkpoint.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace id from a user's command to its event, through every hop: a checkpoint.create sent over Kafka with a
 * W3C traceparent (and one sent over REST) reaches checkpoint-service, which asks a real host-agent process over
 * the agent's commands topic; the agent runs QMP commands on a real QEMU and answers on its results topic; the service then
 * stores checkpoint-created in its outbox, and the relay publishes it later from a context of its own. Every record
 * on the way carries the command's trace id, and both processes' span files hold their spans of it (the agent's QMP
 * spans among them). Tracing's span file is off in tests; this class turns it on (its profile, and the agent's
 * -Dcairn.trace.file).
 */
@QuarkusTest
@TestProfile(TraceAcrossHopsTest.SpanFile.class)
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class TraceAcrossHopsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SPANS = Path.of("target", "trace-test",
            "checkpoint-service-" + ProcessHandle.current().pid() + ".jsonl").toAbsolutePath();
    private static final Path AGENT_SPANS = SPANS.resolveSibling("host-agent-" + ProcessHandle.current().pid()
            + ".jsonl");

    /** The service writes its spans to {@link #SPANS}, flushed every 200 ms. */
    public static class SpanFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cairn.trace.file", SPANS.toString(), "quarkus.otel.bsp.schedule.delay", "200ms");
        }
    }

    private static AgentProcess agent;
    private static GuestlessQemu qemu;
    private static String domain;

    @Inject
    HostDirectory hosts;

    @BeforeAll
    static void startAgentAndQemu() {
        domain = "traced-vm-" + UUID.randomUUID().toString().substring(0, 8);
        agent = AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap(), "-Dcairn.trace.file=" + AGENT_SPANS,
                "-Dquarkus.otel.bsp.schedule.delay=200ms",
                "-Dquarkus.log.category.\"io.cairn.agent.messaging\".level=DEBUG"); // a log line per request
        qemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain).disk("vda", 32L << 20).start();
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
    void aCommandsTraceIdIsOnItsAgentRequestItsQmpCommandsItsAnswerAndItsEvent() {
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS, AgentTopics.commands(agent.hostId()), AgentTopics.results(agent.hostId()))) {
            String commandId = "traced-" + UUID.randomUUID();
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, CairnJson.mapper().createObjectNode()
                    .put("commandId", commandId).put("type", "checkpoint.create").put("domain", domain)
                    .put("checkpointXml", "<domaincheckpoint><name>t1</name></domaincheckpoint>").toString(),
                    Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));

            ConsumerRecord<String, String> event = eventOf(probe, Topics.CHECKPOINT_EVENTS, commandId);
            assertThat(event.value()).contains("\"type\":\"checkpoint-created\"");
            // Published by the outbox relay, in its own pass: the trace comes from the outbox row.
            assertThat(traceparentsOf(event)).as("the event's traceparent (one)").singleElement()
                    .satisfies(tp -> assertThat(tp).startsWith("00-" + traceId + "-").endsWith("-01")
                            .doesNotContain(callerSpan));

            ConsumerRecord<String, String> request = awaitForDomain(probe, AgentTopics.commands(agent.hostId()), "bitmaps.add");
            assertThat(traceparentsOf(request)).as("the agent request's traceparent").singleElement()
                    .satisfies(tp -> assertThat(tp).startsWith("00-" + traceId + "-"));
            ConsumerRecord<String, String> answer = awaitForDomain(probe, AgentTopics.results(agent.hostId()), "bitmaps.add");
            assertThat(traceparentsOf(answer)).as("the agent's answer's traceparent").singleElement()
                    .satisfies(tp -> assertThat(tp).startsWith("00-" + traceId + "-"));
        }

        // The spans of the trace, in each process' file: the service's receive span is the caller's child, the
        // relay's publish span is in the same trace, and the agent ran its QMP commands in it.
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> service = spans(SPANS, traceId);
            assertThat(service).extracting(s -> s.get("service").asText()).containsOnly("checkpoint-service");
            assertThat(service).anySatisfy(s -> assertThat(s.get("parentSpanId").asText()).isEqualTo(callerSpan));
            assertThat(service).anySatisfy(s -> assertThat(s.get("name").asText())
                    .isEqualTo(Topics.CHECKPOINT_EVENTS + " publish"));
            assertThat(service).anySatisfy(s -> assertThat(s.get("name").asText())
                    .isEqualTo(AgentTopics.commands(agent.hostId()) + " publish"));
            List<JsonNode> agentSpans = spans(AGENT_SPANS, traceId);
            assertThat(agentSpans).extracting(s -> s.get("service").asText()).containsOnly("host-agent");
            assertThat(agentSpans).as("the agent's QMP spans (agent log:%n%s)", agent.log())
                    .anySatisfy(s -> assertThat(s.at("/attributes/qmp.command").asText()).isNotEmpty())
                    .anySatisfy(s -> assertThat(s.get("name").asText()).isEqualTo(AgentTopics.results(agent.hostId()) + " publish"));
        });
        // The inventory the agent publishes right after the change is in the trace; its periodic ones (every 2 s
        // here) are not, though they run on the QMP threads that served the request.
        await().pollDelay(Duration.ofSeconds(5)).atMost(WAIT).untilAsserted(() -> assertThat(spans(AGENT_SPANS, traceId))
                .filteredOn(s -> s.get("name").asText().equals(AgentTopics.inventory(agent.hostId()) + " publish")).hasSize(1));
        // A request is delivered at least once: an agent whose consumer group rebalances right after its start gets
        // it again (answered from its journal; CI saw one 113 ms later). Every delivery is in the command's trace.
        assertThat(agent.log().lines().filter(line -> line.contains("(bitmaps.add) for " + domain)))
                .as("the agent's log lines of the request carry its trace id").isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("[" + traceId + ","));
    }

    @Test
    void aRestWriteStartsTheTraceItsEventCarries() {
        await().atMost(WAIT).until(() -> hosts.find(domain).isPresent());
        String traceId = randomHex(16);
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS)) {
            String commandId = "traced-rest-" + UUID.randomUUID();
            given().header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                    .header("Idempotency-Key", commandId).contentType(ContentType.XML)
                    .body("<domaincheckpoint><name>r1</name></domaincheckpoint>")
                    .post("/api/v1/domains/" + domain + "/checkpoints")
                    .then().statusCode(200);
            ConsumerRecord<String, String> event = eventOf(probe, Topics.CHECKPOINT_EVENTS, commandId);
            assertThat(traceparentsOf(event)).singleElement()
                    .satisfies(tp -> assertThat(tp).startsWith("00-" + traceId + "-"));
        }
    }

    private static ConsumerRecord<String, String> eventOf(TopicProbe probe, String topic, String commandId) {
        return probe.await(r -> r.topic().equals(topic) && r.value().contains("\"commandId\":\"" + commandId + "\""),
                WAIT).orElseThrow(() -> new AssertionError("no record of " + commandId + " on " + topic
                + " (agent log:\n" + agent.log() + ")"));
    }

    private static ConsumerRecord<String, String> awaitForDomain(TopicProbe probe, String topic, String type) {
        return probe.await(r -> r.topic().equals(topic) && domain.equals(r.key()) && r.value().contains(type), WAIT)
                .orElseThrow(() -> new AssertionError("no " + type + " of " + domain + " on " + topic));
    }

    private static List<String> traceparentsOf(ConsumerRecord<String, String> record) {
        return StreamSupport.stream(record.headers().headers("traceparent").spliterator(), false)
                .map(Header::value).map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    private static List<JsonNode> spans(Path file, String traceId) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().filter(line -> line.contains(traceId)).map(line -> {
                try {
                    return CairnJson.mapper().readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).filter(span -> span.get("traceId").asText().equals(traceId)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros (invalid)
        return HexFormat.of().formatHex(random);
    }
}
