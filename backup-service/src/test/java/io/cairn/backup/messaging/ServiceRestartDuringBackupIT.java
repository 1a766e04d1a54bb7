package io.cairn.backup.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.PrivateStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * backup-service killed (kill -9) while a backup runs; the job ends on the host while the service is down. Before,
 * agent reports were read by a consumer group of each process from the newest record, so the restarted service
 * never saw the completion: the job stayed running until its silence bound and was then failed. Now reports are
 * read by the deployment's group with committed offsets: the restarted service applies the report sent while it was
 * down and publishes the one backup-completed, successful.
 */
class ServiceRestartDuringBackupIT {
    private static final String DATABASE = "cairn_backup";
    private static final long MIB = 1L << 20;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aReportSentWhileTheServiceWasDownEndsTheJobAfterItsRestart() throws Exception {
        try (PrivateStack stack = PrivateStack.start(DATABASE);
                AgentProcess agent = AgentProcess.start(stack.kafka().bootstrap(), "-Dcairn.agent.job-speed=" + MIB);
                TopicProbe probe = TopicProbe.watching(stack.kafka().bootstrap(), Topics.BACKUP_EVENTS)) {
            String domain = "rs-" + UUID.randomUUID().toString().substring(0, 8); // short: QMP socket paths are bounded
            try (GuestlessQemu vm = GuestlessQemu.builder(agent.storageDir()).domain(domain).inDomainDirectory()
                    .disk(new DiskSpec("vda", 16 * MIB, List.of(new PatternWrite(0x4b, 0, 16 * MIB)))).start();
                    QmpProbe qmp = QmpProbe.connect(vm)) {
                agent.adopt(domain, vm.qmpSocket());
                String begin = "restart-" + UUID.randomUUID();
                String jobId;
                ServiceProcess first = ServiceProcess.start("backup-service", stack.addresses(), DATABASE);
                try {
                    await().atMost(WAIT).until(() -> fleetLists(first, domain));
                    probe.send(Topics.BACKUP_COMMANDS, domain, "{\"commandId\":\"" + begin + "\",\"type\":"
                            + "\"backup.begin\",\"domain\":\"" + domain + "\",\"backupXml\":\"<domainbackup "
                            + "mode='push'/>\"}");
                    JsonNode started = event(probe, begin, "backup-started", first);
                    jobId = started.get("jobId").asText();
                    first.kill9();
                } finally {
                    first.close();
                }
                // QEMU finishes the copy at full speed while no service listens; the agent reports it.
                for (JsonNode job : qmp.jobs()) {
                    qmp.execute("block-job-set-speed", QmpProbe.arguments().put("device", job.path("id").asText())
                            .put("speed", 0));
                }
                await().atMost(WAIT).until(() -> qmp.jobs().isEmpty());
                assertThat(probe.seen(r -> r.value().contains("backup-completed"))).isEmpty();

                try (ServiceProcess second = ServiceProcess.start("backup-service", stack.addresses(), DATABASE)) {
                    JsonNode completed = event(probe, begin, "backup-completed", second);
                    assertThat(completed.get("jobId").asText()).isEqualTo(jobId);
                    assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
                    assertThat(completed.get("status").asText()).isEqualTo("completed");
                }
            }
        }
    }

    private static boolean fleetLists(ServiceProcess service, String domain) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.port() + "/api/v1/hosts"))
                        .header("Authorization", ServiceProcess.authorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 && response.body().contains("\"" + domain + "\"");
    }

    private static JsonNode event(TopicProbe probe, String commandId, String type, ServiceProcess service)
            throws Exception {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.value().contains("\"" + type + "\"")
                && r.value().contains("\"commandId\":\"" + commandId + "\""), 1, WAIT);
        assertThat(found).as("%s of %s; service log:%n%s", type, commandId, service.log()).hasSize(1);
        return CairnJson.mapper().readTree(found.get(0).value());
    }
}
