package io.cairn.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.agent.AgentReport;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
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
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.stack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the agent process while QEMU runs its backup job: the restarted agent (same host) finds the job in
 * QEMU, adopts it and reports the truth, one terminal report, and the backup it finishes is correct.
 */
class AgentKilledDuringBackupIT {
    private static final ObjectMapper JSON = CairnJson.mapper();
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void theRestartedAgentReportsTheEndOfTheJobItsPredecessorStarted() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrap();
        // 4 MiB/s over 24 MiB of data: the job is still running when the agent dies.
        try (AgentProcess agent = AgentProcess.start(bootstrap, "-Dcairn.agent.job-speed=4194304");
                GuestlessQemu vm = GuestlessQemu.builder(Path.of("/tmp/cairn-qemu"))
                        .domain("killed-" + UUID.randomUUID().toString().substring(0, 6))
                        .disk("vda", 32L << 20, new PatternWrite(0x5a, 0, 24L << 20)).start();
                TopicProbe probe = TopicProbe.watching(bootstrap, AgentTopics.results(agent.hostId()))) {
            agent.adopt(vm.domain(), vm.qmpSocket());
            String jobId = "job-" + UUID.randomUUID();
            Path target = agent.storageDir().resolve(vm.domain()).resolve("vda.full.qcow2");
            BackupDefinition backup = new BackupDefinition(BackupMode.PUSH, null, null, List.of(new BackupDisk("vda",
                    true, DiskBackupMode.FULL, null, null, null, new BackupStore("file", target.toString(), "qcow2",
                    null, null), null)));
            StartBackupRequest start = new StartBackupRequest("start-" + UUID.randomUUID(), agent.hostId(),
                    vm.domain(), jobId, backup, List.of(), false);
            probe.send(AgentTopics.commands(agent.hostId()), vm.domain(), JSON.writeValueAsString(start));

            AgentReport started = read(probe.await(r -> r.value().contains("\"requestId\":\"" + start.requestId()
                    + "\"") && r.value().contains("\"type\":\"result\""), WAIT));
            assertThat(((AgentResult) started).success()).as("%s", ((AgentResult) started).error()).isTrue();
            probe.await(r -> isReport(r, jobId, BackupJobState.RUNNING), WAIT)
                    .orElseThrow(() -> new AssertionError("no RUNNING report"));

            agent.kill9();
            agent.restart();

            ConsumerRecord<String, String> end = probe.await(r -> isTerminalReport(r, jobId), WAIT)
                    .orElseThrow(() -> new AssertionError("no terminal report after the restart:\n" + agent.log()));
            BackupJobReport report = (BackupJobReport) read(java.util.Optional.of(end));
            assertThat(report.state()).as("error: %s", report.error()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(probe.seen(r -> isTerminalReport(r, jobId))).as("exactly one terminal report").hasSize(1);
            assertThat(QemuImg.identical(target, vm.disk("vda").image(), vm.logFile()))
                    .as("the adopted job's target equals the disk").isTrue();
        }
    }

    private static boolean isReport(ConsumerRecord<String, String> r, String jobId, BackupJobState state) {
        return r.value().contains("\"jobId\":\"" + jobId + "\"") && r.value().contains("\"state\":\"" + state + "\"");
    }

    private static boolean isTerminalReport(ConsumerRecord<String, String> r, String jobId) {
        return isReport(r, jobId, BackupJobState.COMPLETED) || isReport(r, jobId, BackupJobState.FAILED)
                || isReport(r, jobId, BackupJobState.CANCELLED);
    }

    private static AgentReport read(java.util.Optional<ConsumerRecord<String, String>> record) throws Exception {
        assertThat(record).isPresent();
        return JSON.readValue(record.get().value(), AgentReport.class);
    }
}
