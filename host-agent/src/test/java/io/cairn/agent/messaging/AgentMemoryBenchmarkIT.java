package io.cairn.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The packaged agent's resident memory at idle and while a backup runs. Prints figures; -Dgroups=benchmark. */
@Tag("benchmark")
class AgentMemoryBenchmarkIT {
    private static final ObjectMapper JSON = CairnJson.mapper();

    @Test
    void residentMemoryIdleAndDuringABackup() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        try (AgentProcess agent = AgentProcess.start(bootstrap, "-Dcairn.agent.job-speed=33554432");
                GuestlessQemu vm = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu"))
                        .domain("mem-" + UUID.randomUUID().toString().substring(0, 6))
                        .disk("vda", 256L << 20, new PatternWrite(0x33, 0, 192L << 20)).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, AgentTopics.results(agent.hostId()))) {
            agent.adopt(vm.domain(), vm.qmpSocket());
            long idleMax = 0;
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                idleMax = Math.max(idleMax, rssKib(agent.pid()));
                probe.seen(r -> false); // polls the broker for 0 ms; paces the loop without sleeping
                Thread.onSpinWait();
            }
            String jobId = "mem-" + UUID.randomUUID();
            StartBackupRequest start = new StartBackupRequest("start-" + UUID.randomUUID(), agent.hostId(),
                    vm.domain(), jobId, new BackupDefinition(BackupMode.PUSH, null, null, List.of(new BackupDisk("vda",
                    true, DiskBackupMode.FULL, null, null, null, new BackupStore("file",
                    agent.storageDir().resolve(vm.domain()).resolve("vda.qcow2").toString(), "qcow2", null, null), null))), List.of(), false);
            probe.send(AgentTopics.commands(agent.hostId()), vm.domain(), JSON.writeValueAsString(start));
            long busyMax = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            boolean ended = false;
            while (!ended && System.nanoTime() < deadline) {
                busyMax = Math.max(busyMax, rssKib(agent.pid()));
                ended = !probe.awaitCount(r -> r.value().contains("\"jobId\":\"" + jobId + "\"")
                        && r.value().contains("\"state\":\"COMPLETED\""), 1, Duration.ofMillis(200)).isEmpty();
            }
            assertThat(ended).as("the backup completed").isTrue();
            System.out.printf("[benchmark] host-agent RSS: idle max %.1f MiB, during a 192 MiB push backup max %.1f MiB%n",
                    idleMax / 1024.0, busyMax / 1024.0);
        }
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
