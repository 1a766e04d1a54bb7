package io.cairn.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.AgentTopics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.stack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three packaged agents with different host ids on one machine, each with its own QEMU, sharing the real broker:
 * each runs only the requests addressed to its host, and a request for a host nobody runs is answered by nobody.
 */
class ThreeAgentsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final List<AgentProcess> agents = new ArrayList<>();
    private static final List<GuestlessQemu> vms = new ArrayList<>();
    private static String bootstrap;

    @BeforeAll
    static void start() {
        bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        for (int i = 0; i < 3; i++) {
            AgentProcess agent = AgentProcess.start(bootstrap);
            agents.add(agent);
            GuestlessQemu vm = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu"))
                    .domain("three-" + i + "-" + UUID.randomUUID().toString().substring(0, 6)).disk("vda", 16L << 20)
                    .start();
            vms.add(vm);
            agent.adopt(vm.domain(), vm.qmpSocket());
        }
    }

    @AfterAll
    static void stop() {
        vms.forEach(GuestlessQemu::close);
        agents.forEach(AgentProcess::close);
    }

    @Test
    void eachAgentRunsOnlyItsOwnHostsRequests() throws Exception {
        try (TopicProbe probe = TopicProbe.watching(bootstrap, agents.stream()
                .map(a -> AgentTopics.results(a.hostId())).toArray(String[]::new))) {
            List<String> own = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String requestId = "own-" + i + "-" + UUID.randomUUID();
                own.add(requestId);
                send(probe, new AddBitmapsRequest(requestId, agents.get(i).hostId(), vms.get(i).domain(),
                        List.of(new DiskBitmap("vda", "chk-own"))));
            }
            // Host 0 is asked about host 1's domain; host 1 must stay silent, host 0 must say it has no such domain.
            String misaddressed = "misaddressed-" + UUID.randomUUID();
            send(probe, new AddBitmapsRequest(misaddressed, agents.get(0).hostId(), vms.get(1).domain(),
                    List.of(new DiskBitmap("vda", "chk-wrong"))));
            // A request on host 2's topic for a host nobody runs (a misrouted record): host 2 must not act on it.
            String nobody = "nobody-" + UUID.randomUUID();
            probe.send(AgentTopics.commands(agents.get(2).hostId()), vms.get(2).domain(), JSON.writeValueAsString(
                    new AddBitmapsRequest(nobody, "host-nobody-runs", vms.get(2).domain(),
                            List.of(new DiskBitmap("vda", "chk-nobody")))));
            // Sent last, on the same key (same partition) as 'nobody': once its answer is here, 'nobody' was seen.
            String after = "after-" + UUID.randomUUID();
            send(probe, new AddBitmapsRequest(after, agents.get(2).hostId(), vms.get(2).domain(),
                    List.of(new DiskBitmap("vda", "chk-after"))));

            for (int i = 0; i < 3; i++) {
                AgentResult result = result(probe, own.get(i));
                assertThat(result.hostId()).isEqualTo(agents.get(i).hostId());
                assertThat(result.success()).as("%s", result.error()).isTrue();
            }
            List<AgentResult> wrong = results(probe, misaddressed, 1);
            assertThat(wrong).singleElement().satisfies(r -> {
                assertThat(r.hostId()).isEqualTo(agents.get(0).hostId());
                assertThat(r.error().code()).isEqualTo("VIR_ERR_NO_DOMAIN");
            });
            assertThat(result(probe, after).success()).isTrue();
            assertThat(probe.seen(r -> r.value().contains(nobody))).as("nobody answers for an unknown host").isEmpty();
            assertThat(probe.seen(r -> r.value().contains(misaddressed))).as("only host 0 answered").hasSize(1);
        }
    }

    private static void send(TopicProbe probe, AddBitmapsRequest request) throws Exception {
        probe.send(AgentTopics.commands(request.hostId()), request.domain(), JSON.writeValueAsString(request));
    }

    private static AgentResult result(TopicProbe probe, String requestId) throws Exception {
        return results(probe, requestId, 1).get(0);
    }

    private static List<AgentResult> results(TopicProbe probe, String requestId, int count) throws Exception {
        List<ConsumerRecord<String, String>> records = probe.awaitCount(
                r -> r.value().contains("\"requestId\":\"" + requestId + "\""), count, WAIT);
        assertThat(records).as("answers to %s", requestId).hasSize(count);
        List<AgentResult> results = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            results.add((AgentResult) JSON.readValue(record.value(), AgentReport.class));
        }
        return results;
    }
}
