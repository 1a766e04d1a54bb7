package io.cairn.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.BitmapCheck;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BitmapInfo;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.agent.ValidateBitmapsRequest;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.AgentTopics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent over the real broker and a real QEMU: it runs its own host's requests once, answers duplicates with the
 * first answer, ignores other hosts' requests, survives malformed records, and publishes the bitmaps it made.
 */
@QuarkusTest
@QuarkusTestResource(AgentTestResource.class)
class AgentMessagingTest {
    private static final String COMMANDS = AgentTopics.commands(AgentTestResource.HOST_ID);
    private static final String RESULTS = AgentTopics.results(AgentTestResource.HOST_ID);
    private static final String INVENTORY = AgentTopics.inventory(AgentTestResource.HOST_ID);

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static GuestlessQemu qemu;
    private static String domain;

    @BeforeAll
    static void startQemu() throws Exception {
        domain = "agentmsg-" + UUID.randomUUID().toString().substring(0, 8);
        qemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain).disk("vda", 32L << 20).start();
        // The agent finds domains as <name>.qmp in its directory; a link keeps the launcher's own layout.
        Files.createSymbolicLink(AgentTestResource.qmpDir().resolve(domain + ".qmp"), qemu.qmpSocket());
    }

    @AfterAll
    static void stopQemu() {
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void runsARequestOnceAndAnswersItsDuplicateWithTheFirstAnswer() throws Exception {
        try (TopicProbe probe = TopicProbe.watching(AgentTestResource.bootstrap, RESULTS,
                INVENTORY)) {
            String requestId = "add-" + UUID.randomUUID();
            String request = JSON.writeValueAsString(new AddBitmapsRequest(requestId, AgentTestResource.HOST_ID,
                    domain, List.of(new DiskBitmap("vda", "chk1"))));

            probe.send(COMMANDS, domain, request);
            AgentResult first = result(probe.await(r -> isResultFor(r, requestId), WAIT));
            probe.send(COMMANDS, domain, request);
            List<ConsumerRecord<String, String>> answers = probe.awaitCount(r -> isResultFor(r, requestId), 2, WAIT);

            assertThat(first.success()).as("first answer: %s", first.error()).isTrue();
            assertThat(answers).hasSize(2);
            assertThat(result(Optional.of(answers.get(1)))).as("the duplicate is answered with the first answer")
                    .isEqualTo(first);
            assertThat(answers).allSatisfy(r -> assertThat(r.key()).isEqualTo(domain));

            BitmapInfo chk1 = awaitBitmapInInventory(probe, "chk1");
            assertThat(chk1.persistent()).isTrue();
            assertThat(chk1.recording()).isTrue();
            assertThat(chk1.inconsistent()).isFalse();
        }
    }

    @Test
    void ignoresAMisroutedRequestForAnotherHostAndKeepsGoingAfterAMalformedRecord() throws Exception {
        try (TopicProbe probe = TopicProbe.watching(AgentTestResource.bootstrap, RESULTS)) {
            String foreign = "foreign-" + UUID.randomUUID();
            String valid = "validate-" + UUID.randomUUID();
            probe.send(COMMANDS, domain, JSON.writeValueAsString(new AddBitmapsRequest(foreign,
                    "some-other-host", domain, List.of(new DiskBitmap("vda", "foreign")))));
            probe.send(COMMANDS, domain, "{\"type\":\"bitmaps.add\", this is not json");
            probe.send(COMMANDS, domain, "{\"type\":\"no.such.request\",\"requestId\":\"x\"}");
            probe.send(COMMANDS, domain, JSON.writeValueAsString(new ValidateBitmapsRequest(valid,
                    AgentTestResource.HOST_ID, domain, List.of(new DiskBitmap("vda", "never-created")))));

            AgentResult answer = result(probe.await(r -> isResultFor(r, valid), WAIT));

            // Same key, same partition: the foreign request came before the valid one, so had it been answered its
            // answer would already be here.
            assertThat(probe.seen(r -> isResultFor(r, foreign))).isEmpty();
            assertThat(answer.success()).isTrue();
            assertThat(answer.bitmaps()).singleElement().satisfies(check -> {
                assertThat(check.valid()).isFalse();
                assertThat(check.problem()).isEqualTo("missing");
            });
        }
    }

    @Test
    void aRequestThatArrivesAfterItsStartByIsRefusedUnrunAndOneInTimeRuns() throws Exception {
        try (TopicProbe probe = TopicProbe.watching(AgentTestResource.bootstrap, RESULTS)) {
            String late = "late-" + UUID.randomUUID();
            String inTime = "intime-" + UUID.randomUUID();
            String check = "check-" + UUID.randomUUID();
            // As after an agent restart: the caller stopped waiting a while ago and answered its command without it.
            probe.send(COMMANDS, domain, JSON.writeValueAsString(new AddBitmapsRequest(late,
                    AgentTestResource.HOST_ID, domain, List.of(new DiskBitmap("vda", "too-late")))),
                    Map.of(AgentRequest.START_BY_HEADER, Instant.now().minusSeconds(5).toString()));
            probe.send(COMMANDS, domain, JSON.writeValueAsString(new AddBitmapsRequest(inTime,
                    AgentTestResource.HOST_ID, domain, List.of(new DiskBitmap("vda", "in-time")))),
                    Map.of(AgentRequest.START_BY_HEADER, Instant.now().plusSeconds(60).toString()));
            probe.send(COMMANDS, domain, JSON.writeValueAsString(new ValidateBitmapsRequest(check,
                    AgentTestResource.HOST_ID, domain, List.of(new DiskBitmap("vda", "too-late"),
                    new DiskBitmap("vda", "in-time")))));

            AgentResult refused = result(probe.await(r -> isResultFor(r, late), WAIT));
            AgentResult ran = result(probe.await(r -> isResultFor(r, inTime), WAIT));
            AgentResult checked = result(probe.await(r -> isResultFor(r, check), WAIT));

            assertThat(refused.success()).isFalse();
            assertThat(refused.error().code()).isEqualTo("VIR_ERR_OPERATION_TIMEOUT");
            assertThat(refused.error().message()).contains("not run");
            assertThat(ran.success()).as("in time: %s", ran.error()).isTrue();
            assertThat(checked.bitmaps()).extracting(BitmapCheck::bitmap, BitmapCheck::valid)
                    .containsExactly(tuple("too-late", false), tuple("in-time", true));
        }
    }

    @Test
    void aDomainThatDoesNotRunHereGetsNoDomain() throws Exception {
        try (TopicProbe probe = TopicProbe.watching(AgentTestResource.bootstrap, RESULTS)) {
            String requestId = "ghost-" + UUID.randomUUID();
            probe.send(COMMANDS, "ghost-vm", JSON.writeValueAsString(new AddBitmapsRequest(requestId,
                    AgentTestResource.HOST_ID, "ghost-vm", List.of(new DiskBitmap("vda", "chk1")))));

            AgentResult answer = result(probe.await(r -> isResultFor(r, requestId), WAIT));

            assertThat(answer.success()).isFalse();
            assertThat(answer.error().code()).isEqualTo("VIR_ERR_NO_DOMAIN");
            assertThat(answer.error().number()).isEqualTo(42);
        }
    }

    @Test
    void aQemuThatStartsOrStopsIsInTheNextInventoryWithoutWaitingForThePeriod() throws Exception {
        // The periodic inventory is 10 minutes away here (AgentTestResource): only the socket watch can publish these.
        String late = "late-" + UUID.randomUUID().toString().substring(0, 8);
        Path link = AgentTestResource.qmpDir().resolve(late + ".qmp");
        try (TopicProbe probe = TopicProbe.watching(AgentTestResource.bootstrap, INVENTORY);
                GuestlessQemu lateQemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(late)
                        .disk("vda", 16L << 20).start()) {
            Files.createSymbolicLink(link, lateQemu.qmpSocket());
            assertThat(probe.await(r -> inventoryOfThisHost(r).contains(late), WAIT))
                    .as("an inventory listing %s after its socket appeared", late).isPresent();

            Files.delete(link);
            assertThat(probe.await(r -> {
                List<String> names = inventoryOfThisHost(r);
                return names.contains(domain) && !names.contains(late);
            }, WAIT)).as("an inventory without %s after its socket went", late).isPresent();
        } finally {
            Files.deleteIfExists(link);
        }
    }

    /** The domain names of an inventory of the agent under test; none for anything else. */
    private static List<String> inventoryOfThisHost(ConsumerRecord<String, String> record) {
        if (!AgentTestResource.HOST_ID.equals(record.key())) {
            return List.of();
        }
        try {
            return JSON.readValue(record.value(), HostInventory.class).domains().stream()
                    .map(DomainInventory::name).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static BitmapInfo awaitBitmapInInventory(TopicProbe probe, String bitmap) throws Exception {
        for (ConsumerRecord<String, String> record : probe.awaitCount(
                r -> r.key().equals(AgentTestResource.HOST_ID) && r.value().contains("\"" + bitmap + "\""), 1, WAIT)) {
            HostInventory inventory = JSON.readValue(record.value(), HostInventory.class);
            for (DomainInventory d : inventory.domains()) {
                for (DiskInventory disk : d.disks()) {
                    for (BitmapInfo info : disk.bitmaps()) {
                        if (d.name().equals(domain) && disk.device().equals("vda") && info.name().equals(bitmap)) {
                            return info;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no inventory of " + AgentTestResource.HOST_ID + " shows " + bitmap + " on vda");
    }

    private static boolean isResultFor(ConsumerRecord<String, String> record, String requestId) {
        return record.value().contains("\"requestId\":\"" + requestId + "\"");
    }

    private static AgentResult result(Optional<ConsumerRecord<String, String>> record) throws Exception {
        assertThat(record).as("an answer arrived within %s", WAIT).isPresent();
        AgentReport report = JSON.readValue(record.get().value(), AgentReport.class);
        assertThat(report).isInstanceOf(AgentResult.class);
        return (AgentResult) report;
    }
}
