package io.cairn.backup.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.cloudevents.CloudEventHeaders;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Backup commands through the real broker and database: bad input comes back as command-rejected with libvirt's
 * error and CloudEvents headers, a duplicate gets the same answer, and a record that is not a command is
 * dead-lettered while the consumer keeps going.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class BackupCommandsOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();

    private final String domain = "kafka-vm-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aMalformedBeginIsRejectedWithLibvirtsErrorAndItsDuplicateGetsTheSameEvent() throws Exception {
        try (TopicProbe probe = probe()) {
            String commandId = "no-definition-" + UUID.randomUUID();
            // Neither backupXml nor backup: virDomainBackupBegin without a definition.
            String command = JSON.writeValueAsString(JSON.createObjectNode().put("commandId", commandId)
                    .put("type", "backup.begin").put("domain", domain));

            probe.send(Topics.BACKUP_COMMANDS, domain, command);
            ConsumerRecord<String, String> first = awaitEventFor(probe, commandId, 1).get(0);
            JsonNode event = JSON.readTree(first.value());
            assertThat(event.get("type").asText()).isEqualTo("command-rejected");
            assertThat(event.at("/error/code").asText()).as(event.toString()).isEqualTo("VIR_ERR_INVALID_ARG");
            assertThat(event.at("/error/number").asInt()).isEqualTo(8);
            assertThat(event.at("/error/message").asText()).contains("give exactly one of backupXml and backup");
            assertThat(first.key()).isEqualTo(domain);
            assertThat(header(first, "ce_type")).isEqualTo("command-rejected");
            assertThat(header(first, "ce_source")).isEqualTo(CloudEventHeaders.BACKUP_SERVICE_SOURCE);
            assertThat(header(first, "ce_subject")).isEqualTo(domain);
            assertThat(header(first, "ce_id")).isEqualTo(event.get("eventId").asText());

            probe.send(Topics.BACKUP_COMMANDS, domain, command);
            List<ConsumerRecord<String, String>> both = awaitEventFor(probe, commandId, 2);
            assertThat(JSON.readTree(both.get(1).value())).as("the duplicate's outcome is the first one")
                    .isEqualTo(event);
        }
    }

    @Test
    void anAbortWithoutAJobIsRefusedAsLibvirtDoes() throws Exception {
        try (TopicProbe probe = probe()) {
            String commandId = "abort-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("commandId", commandId).put("type", "backup.abort").put("domain", domain)));

            JsonNode event = JSON.readTree(awaitEventFor(probe, commandId, 1).get(0).value());
            assertThat(event.get("type").asText()).isEqualTo("command-rejected");
            assertThat(event.at("/error/code").asText()).as(event.toString()).isEqualTo("VIR_ERR_OPERATION_INVALID");
            assertThat(event.at("/error/number").asInt()).isEqualTo(55);
            assertThat(event.at("/error/message").asText()).isEqualTo("no job is active on the domain");
        }
    }

    @Test
    void aBeginForADomainNoAgentRunsIsRefusedWithNoDomain() throws Exception {
        try (TopicProbe probe = probe()) {
            String commandId = "nowhere-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("commandId", commandId).put("type", "backup.begin").put("domain", domain)
                    .put("backupXml", "<domainbackup/>")));

            JsonNode event = JSON.readTree(awaitEventFor(probe, commandId, 1).get(0).value());
            assertThat(event.at("/error/code").asText()).as(event.toString()).isEqualTo("VIR_ERR_NO_DOMAIN");
        }
    }

    @Test
    void aRecordThatIsNoCommandIsDeadLetteredAndTheNextCommandStillRuns() throws Exception {
        try (TopicProbe probe = probe()) {
            String marker = "not-json-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, "{" + marker);
            String after = "after-" + UUID.randomUUID();
            probe.send(Topics.BACKUP_COMMANDS, domain, JSON.writeValueAsString(JSON.createObjectNode()
                    .put("commandId", after).put("type", "backup.abort").put("domain", domain)));

            ConsumerRecord<String, String> dead = probe.await(r -> r.topic().equals(Topics.BACKUP_COMMANDS_DLQ)
                    && r.value().contains(marker), WAIT).orElseThrow(() -> new AssertionError("not dead-lettered"));
            assertThat(header(dead, "dead-letter-reason")).isNotBlank();
            assertThat(dead.key()).isEqualTo(domain);
            assertThat(JSON.readTree(awaitEventFor(probe, after, 1).get(0).value()).get("type").asText())
                    .isEqualTo("command-rejected");
        }
    }

    private TopicProbe probe() {
        return TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.BACKUP_EVENTS,
                Topics.BACKUP_COMMANDS_DLQ);
    }

    private static List<ConsumerRecord<String, String>> awaitEventFor(TopicProbe probe, String commandId, int count) {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.topic().equals(Topics.BACKUP_EVENTS)
                && r.value().contains("\"commandId\":\"" + commandId + "\""), count, WAIT);
        assertThat(found).as("events for %s", commandId).hasSize(count);
        return found;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
