package io.cairn.backup.messaging;

import io.cairn.testing.stack.KafkaProvisioner;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.command.CommandLimits;
import io.cairn.events.command.EventBudget;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * backup.begin commands that would harm others are refused through the real broker and database before a job is
 * queued: a misspelt field, an oversized document, an export bitmap or checkpoint in the namespaces the host agent
 * owns, a plan whose backup-started would not fit one Kafka record; the next command is still answered.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class RefusedAtTheEdgeOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();

    @Inject
    HostDirectory hosts;

    private final String domain = "edge-vm-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aMisspeltOrOversizedBeginIsRejectedAndTheNextCommandIsStillAnswered() throws Exception {
        try (TopicProbe probe = probe()) {
            ObjectNode misspelt = begin("<domainbackup/>");
            misspelt.set("flag", JSON.createArrayNode().add("REUSE_EXTERNAL"));
            String backupXml = "<domainbackup><!--" + "c".repeat(CommandLimits.MAX_BACKUP_XML_BYTES) + "--></domainbackup>";
            ObjectNode oversized = begin(backupXml);
            ObjectNode next = command("backup.abort", "edge-other-" + UUID.randomUUID().toString().substring(0, 8));
            for (ObjectNode command : List.of(misspelt, oversized, next)) {
                probe.send(Topics.BACKUP_COMMANDS, command.get("domain").asText(), JSON.writeValueAsString(command));
            }

            assertThat(rejection(probe, misspelt, "VIR_ERR_INVALID_ARG")).isEqualTo("unknown field 'flag' in "
                    + "backup.begin command (known there: backup, backupXml, checkpoint, checkpointXml, commandId, "
                    + "domain, flags)");
            assertThat(rejection(probe, oversized, "VIR_ERR_INVALID_ARG")).isEqualTo("backupXml is "
                    + backupXml.length() + " bytes, more than the limit of " + CommandLimits.MAX_BACKUP_XML_BYTES
                    + " bytes");
            assertThat(rejection(probe, next, "VIR_ERR_OPERATION_INVALID")).isEqualTo("no job is active on the domain");
        }
    }

    @Test
    void theXmlFormsMayNotNameBitmapsTheHostAgentDeletes() throws Exception {
        knownWithDisks(2);
        try (TopicProbe probe = probe()) {
            ObjectNode exportBitmap = begin("<domainbackup mode='pull'><server name='localhost' port='10809'/>"
                    + "<disks><disk name='vda' exportbitmap='libvirt-tmp-size-xml'/></disks></domainbackup>");
            ObjectNode checkpoint = begin("<domainbackup/>")
                    .put("checkpointXml", "<domaincheckpoint><name>backup-nightly</name></domaincheckpoint>");
            probe.send(Topics.BACKUP_COMMANDS, domain, JSON.writeValueAsString(exportBitmap));
            probe.send(Topics.BACKUP_COMMANDS, domain, JSON.writeValueAsString(checkpoint));

            assertThat(rejection(probe, exportBitmap, "VIR_ERR_INVALID_ARG"))
                    .startsWith("disk vda: exportbitmap 'libvirt-tmp-size-xml' is reserved");
            assertThat(rejection(probe, checkpoint, "VIR_ERR_INVALID_ARG"))
                    .startsWith("checkpointXml <name> 'backup-nightly' is reserved");
            given().get("/api/v1/domains/{domain}/backup/jobs", domain).then().statusCode(200)
                    .body("", Matchers.hasSize(0));
        }
    }

    @Test
    void aBeginWhoseBackupStartedWouldNotFitOneRecordIsRefusedBeforeItIsQueued() throws Exception {
        // Each disk's NBD URI repeats the server: a long (valid) host name times twelve disks.
        knownWithDisks(12);
        try (TopicProbe probe = probe()) {
            ObjectNode pull = begin("<domainbackup mode='pull'><server name='" + "h".repeat(90_000)
                    + ".example.net' port='10809'/></domainbackup>");
            probe.send(Topics.BACKUP_COMMANDS, domain, JSON.writeValueAsString(pull));

            assertThat(rejection(probe, pull, "VIR_ERR_INVALID_ARG"))
                    .startsWith("the backup-started event this backup.begin would publish is ")
                    .endsWith("more than the limit of " + EventBudget.MAX_EVENT_BYTES + " bytes (Kafka's 1 MiB less "
                            + "room for headers): shorten its definition");
            given().get("/api/v1/domains/{domain}/backup/jobs", domain).then().statusCode(200)
                    .body("", Matchers.hasSize(0));
        }
    }

    /** The domain as a host's inventory reports it, so begin gets past the host lookup to the plan. */
    private void knownWithDisks(int count) {
        List<DiskInventory> disks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String device = "vd" + (char) ('a' + i);
            disks.add(new DiskInventory(device, "drive-" + device, "/var/lib/cairn/" + domain + "-" + device + ".qcow2",
                    "qcow2", 1 << 20, false, List.of()));
        }
        String host = "edge-host-" + UUID.randomUUID().toString().substring(0, 8);
        // An onboarded host (its topics exist) whose agent does not run.
        KafkaProvisioner.onboardHost(LocalStack.ensureRunning().kafkaBootstrap(), host);
        hosts.remember(new HostInventory(host, Instant.now(),
                List.of(new DomainInventory(domain, "running", disks, List.of()))));
    }

    private TopicProbe probe() {
        return TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.BACKUP_EVENTS);
    }

    private ObjectNode begin(String backupXml) {
        return command("backup.begin", domain).put("backupXml", backupXml);
    }

    private static ObjectNode command(String type, String domain) {
        return JSON.createObjectNode().put("commandId", type + "-" + UUID.randomUUID()).put("type", type)
                .put("domain", domain);
    }

    /** The rejection's message, after checking its libvirt code and that it is a small event. */
    private static String rejection(TopicProbe probe, ObjectNode command, String code) throws Exception {
        String commandId = command.get("commandId").asText();
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.value().contains(
                "\"commandId\":\"" + commandId + "\""), 1, WAIT);
        assertThat(found).as("the outcome of %s", commandId).hasSize(1);
        JsonNode event = JSON.readTree(found.get(0).value());
        assertThat(event.get("type").asText()).as(event.toString()).isEqualTo("command-rejected");
        assertThat(event.at("/error/code").asText()).as(event.toString()).isEqualTo(code);
        assertThat(found.get(0).value().length()).as("the rejection carries no copy of the input").isLessThan(2_000);
        return event.at("/error/message").asText();
    }
}
