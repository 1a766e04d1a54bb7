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
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The case with both real services, a real agent and QEMU, over Kafka: checkpoint-service creates c1, its
 * bitmap is then lost on the host, and a backup.begin creating c1 again is refused by backup-service with libvirt's
 * duplicate-name error, leaving the host without a new bitmap.
 */
class CheckpointNameAcrossServicesIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aBackupCannotCreateACheckpointNameTheLineageHoldsWhoseBitmapIsLost() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        try (AgentProcess agent = AgentProcess.start(stack.kafkaBootstrap());
                TopicProbe probe = TopicProbe.watching(stack.kafkaBootstrap(), Topics.CHECKPOINT_EVENTS,
                        Topics.BACKUP_EVENTS)) {
            String domain = "xs-" + UUID.randomUUID().toString().substring(0, 8);
            try (GuestlessQemu vm = GuestlessQemu.builder(agent.storageDir()).domain(domain).inDomainDirectory()
                    .disk(new DiskSpec("vda", 8L << 20, List.of())).start();
                    QmpProbe qmp = QmpProbe.connect(vm);
                    ServiceProcess checkpoints = ServiceProcess.start("checkpoint-service", stack,
                            "cairn_checkpoint_test");
                    ServiceProcess backups = ServiceProcess.start("backup-service", stack, "cairn_backup_test")) {
                agent.adopt(domain, vm.qmpSocket());
                await().atMost(WAIT).until(() -> answers(checkpoints, "/api/v1/domains/" + domain + "/bitmaps")
                        && answers(backups, "/api/v1/hosts") && get(backups, "/api/v1/hosts").contains(domain));

                String create = "create-" + UUID.randomUUID();
                probe.send(Topics.CHECKPOINT_COMMANDS, domain, "{\"commandId\":\"" + create + "\",\"type\":"
                        + "\"checkpoint.create\",\"domain\":\"" + domain + "\",\"checkpoint\":{\"name\":\"c1\"}}");
                assertThat(outcome(probe, create, checkpoints).get("type").asText()).isEqualTo("checkpoint-created");
                await().atMost(WAIT).until(() -> viewHolds(stack, domain, "c1"));
                // The bitmap is lost on the host: the lineage still holds c1 (it becomes broken).
                qmp.execute("block-dirty-bitmap-remove", QmpProbe.arguments()
                        .put("node", vm.disk("vda").formatNodeName()).put("name", "c1"));

                String begin = "begin-" + UUID.randomUUID();
                probe.send(Topics.BACKUP_COMMANDS, domain, "{\"commandId\":\"" + begin + "\",\"type\":"
                        + "\"backup.begin\",\"domain\":\"" + domain + "\",\"backupXml\":\"<domainbackup mode='push'/>\","
                        + "\"checkpointXml\":\"<domaincheckpoint><name>c1</name></domaincheckpoint>\"}");
                JsonNode refused = outcome(probe, begin, backups);
                assertThat(refused.get("type").asText()).as(refused.toString()).isEqualTo("command-rejected");
                assertThat(refused.at("/error/code").asText()).isEqualTo("VIR_ERR_OPERATION_FAILED");
                assertThat(refused.at("/error/number").asInt()).isEqualTo(9);
                assertThat(refused.at("/error/message").asText()).isEqualTo("domain moment c1 already exists");
                assertThat(qmp.bitmapNames(vm.disk("vda").formatNodeName())).as("no bitmap made").isEmpty();
            }
        }
    }

    private static JsonNode outcome(TopicProbe probe, String commandId, ServiceProcess service) throws Exception {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.value().contains(
                "\"commandId\":\"" + commandId + "\""), 1, WAIT);
        assertThat(found).as("outcome of %s; service log:%n%s", commandId, service.log()).hasSize(1);
        return CairnJson.mapper().readTree(found.get(0).value());
    }

    private static boolean viewHolds(StackAddresses stack, String domain, String name) throws Exception {
        try (var connection = DriverManager.getConnection(stack.jdbcUrl("cairn_backup_test"), stack.pgUser(),
                stack.pgPassword());
                var statement = connection.prepareStatement(
                        "select count(*) from lineage_checkpoint where domain = ? and name = ?")) {
            statement.setString(1, domain);
            statement.setString(2, name);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private static boolean answers(ServiceProcess service, String path) throws Exception {
        return request(service, path).statusCode() == 200;
    }

    private static String get(ServiceProcess service, String path) throws Exception {
        return request(service, path).body();
    }

    private static HttpResponse<String> request(ServiceProcess service, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + service.port() + path)).header("Authorization", ServiceProcess.authorization()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
