package io.cairn.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.RemoveBitmapsRequest;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.stack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent's overhead per operation as a service sees it: request published on Kafka → QMP transaction in QEMU →
 * answer consumed, for checkpoint bitmap add/remove pairs. Prints figures; run with -Dgroups=benchmark.
 */
@Tag("benchmark")
class AgentRoundTripBenchmarkIT {
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final int WARMUP = 20;
    private static final int SAMPLES = 200;

    @Test
    void bitmapRequestRoundTripThroughKafka() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        try (AgentProcess agent = AgentProcess.start(bootstrap);
                GuestlessQemu vm = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu"))
                        .domain("bench-" + UUID.randomUUID().toString().substring(0, 6)).disk("vda", 64L << 20).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, AgentTopics.results(agent.hostId()))) {
            agent.adopt(vm.domain(), vm.qmpSocket());
            List<Long> add = new ArrayList<>();
            List<Long> remove = new ArrayList<>();
            for (int i = 0; i < WARMUP + SAMPLES; i++) {
                String bitmap = "bench" + i;
                long a = roundTrip(probe, new AddBitmapsRequest("add-" + UUID.randomUUID(), agent.hostId(),
                        vm.domain(), List.of(new DiskBitmap("vda", bitmap))));
                long r = roundTrip(probe, new RemoveBitmapsRequest("rm-" + UUID.randomUUID(), agent.hostId(),
                        vm.domain(), List.of(new DiskBitmap("vda", bitmap)), false));
                if (i >= WARMUP) {
                    add.add(a);
                    remove.add(r);
                }
            }
            print("bitmaps.add", add);
            print("bitmaps.remove", remove);
        }
    }

    private static long roundTrip(TopicProbe probe, AgentRequest request) throws Exception {
        long start = System.nanoTime();
        probe.send(AgentTopics.commands(request.hostId()), request.domain(), JSON.writeValueAsString(request));
        var answer = probe.await(r -> r.value().contains("\"requestId\":\"" + request.requestId() + "\""),
                Duration.ofSeconds(30));
        long micros = (System.nanoTime() - start) / 1000;
        assertThat(answer).isPresent();
        assertThat(answer.get().value()).contains("\"success\":true");
        return micros;
    }

    private static void print(String what, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("[benchmark] agent round trip over Kafka, %s: n=%d median=%.2f ms p99=%.2f ms max=%.2f ms%n",
                what, sorted.size(), sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }
}
