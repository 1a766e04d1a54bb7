package io.cairn.checkpoint.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.core.agent.HostDirectory;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End-to-end checkpoint create as a user sees it: command published → checkpoint-created consumed, through the
 * service, a real agent process and QEMU. Prints median and p99; run with -Dgroups=benchmark.
 */
@Tag("benchmark")
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class CheckpointCreateLatencyBenchmarkTest {
    private static final int WARMUP = 10;
    private static final int SAMPLES = 100;

    @Inject
    HostDirectory hosts;

    @Test
    void commandToCheckpointCreated() {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        String domain = "latency-vm-" + UUID.randomUUID().toString().substring(0, 8);
        try (AgentProcess agent = AgentProcess.start(bootstrap);
                GuestlessQemu qemu = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu")).domain(domain)
                        .disk("vda", 64L << 20).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, Topics.CHECKPOINT_EVENTS)) {
            agent.adopt(domain, qemu.qmpSocket());
            await().atMost(Duration.ofSeconds(90)).until(() -> hosts.find(domain).isPresent());
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < WARMUP + SAMPLES; i++) {
                String commandId = "lat-" + UUID.randomUUID();
                long start = System.nanoTime();
                probe.send(Topics.CHECKPOINT_COMMANDS, domain, "{\"commandId\":\"" + commandId
                        + "\",\"type\":\"checkpoint.create\",\"domain\":\"" + domain
                        + "\",\"checkpointXml\":\"<domaincheckpoint><name>b" + i + "</name></domaincheckpoint>\"}");
                var event = probe.await(r -> r.value().contains("\"commandId\":\"" + commandId + "\""),
                        Duration.ofSeconds(60));
                long elapsed = (System.nanoTime() - start) / 1000;
                assertThat(event).isPresent();
                assertThat(event.get().value()).contains("checkpoint-created");
                if (i >= WARMUP) {
                    micros.add(elapsed);
                }
            }
            Collections.sort(micros);
            System.out.printf("[benchmark] checkpoint create end to end (command → checkpoint-created, real agent + "
                    + "QEMU): n=%d median=%.1f ms p99=%.1f ms max=%.1f ms%n", micros.size(),
                    micros.get(micros.size() / 2) / 1000.0, micros.get((int) Math.ceil(micros.size() * 0.99) - 1) / 1000.0,
                    micros.get(micros.size() - 1) / 1000.0);
        }
    }
}
