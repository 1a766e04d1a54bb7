package io.cairn.checkpoint.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.command.CommandLimits;
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
import org.junit.jupiter.api.Test;

/**
 * Commands that would harm others are refused at the edge, through the real broker and database: an oversized field
 * or command gets a command-rejected naming the field, its size and the limit while the next commands (another
 * domain's and the same one's) still complete; a misspelt field is refused rather than ignored; a checkpoint may not
 * take a name the host agent deletes.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class RefusedAtTheEdgeOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();

    private final String domain = "edge-vm-" + UUID.randomUUID().toString().substring(0, 8);
    private final String other = "edge-other-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void oversizedInputIsRejectedAndTheCommandsSentRightAfterStillComplete() throws Exception {
        try (TopicProbe probe = probe()) {
            String description = "d".repeat(CommandLimits.MAX_DESCRIPTION_BYTES + 1024);
            ObjectNode longDescription = redefine(domain, "c1");
            ((ObjectNode) longDescription.get("checkpoint")).put("description", description);
            // Within the document's limit, so the service parses it; the <domain> inside is over its own.
            String domainXml = "<domain type='kvm'><name>" + domain + "</name><description>"
                    + "x".repeat(CommandLimits.MAX_DOMAIN_XML_BYTES) + "</description></domain>";
            ObjectNode largeDomain = command(domain, "checkpoint.create").put("checkpointXml", "<domaincheckpoint>"
                    + "<name>c1</name><creationTime>1700000000</creationTime><disks><disk name='vda'/></disks>"
                    + domainXml + "</domaincheckpoint>");
            largeDomain.set("flags", JSON.createArrayNode().add("REDEFINE"));
            ObjectNode largeCommand = redefine(domain, "c1");
            ((ObjectNode) largeCommand.get("checkpoint")).put("domainXml", "<domain type='kvm'>"
                    + "<disk type='file'/>".repeat(40_000) + "</domain>");
            ObjectNode nextOfOther = redefine(other, "o1");
            ObjectNode nextOfSame = redefine(domain, "c1");

            for (ObjectNode command : List.of(longDescription, largeDomain, largeCommand, nextOfOther, nextOfSame)) {
                probe.send(Topics.CHECKPOINT_COMMANDS, command.get("domain").asText(), JSON.writeValueAsString(command));
            }

            assertThat(rejection(probe, longDescription)).isEqualTo("checkpoint.description is "
                    + description.length() + " bytes, more than the limit of " + CommandLimits.MAX_DESCRIPTION_BYTES
                    + " bytes");
            assertThat(rejection(probe, largeDomain)).startsWith("checkpointXml <domain> is ")
                    .endsWith("bytes, more than the limit of " + CommandLimits.MAX_DOMAIN_XML_BYTES + " bytes");
            int recordBytes = JSON.writeValueAsString(largeCommand).getBytes(StandardCharsets.UTF_8).length;
            assertThat(recordBytes).isGreaterThan(CommandLimits.MAX_COMMAND_BYTES);
            assertThat(rejection(probe, largeCommand)).isEqualTo("the command is " + recordBytes
                    + " bytes, more than the limit of " + CommandLimits.MAX_COMMAND_BYTES + " bytes");
            assertThat(outcome(probe, nextOfOther).get("type").asText()).isEqualTo("checkpoint-created");
            assertThat(outcome(probe, nextOfSame).get("type").asText()).isEqualTo("checkpoint-created");
        }
    }

    @Test
    void aMisspeltFlagsIsRefusedAndTheCheckpointIsLeftAlone() throws Exception {
        try (TopicProbe probe = probe()) {
            ObjectNode created = redefine(domain, "keep");
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.writeValueAsString(created));
            assertThat(outcome(probe, created).get("type").asText()).isEqualTo("checkpoint-created");

            // Ignored, "flag" would make this a full delete: the bitmaps would go as well.
            ObjectNode misspelt = command(domain, "checkpoint.delete").put("checkpoint", "keep");
            misspelt.set("flag", JSON.createArrayNode().add("METADATA_ONLY"));
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.writeValueAsString(misspelt));

            assertThat(rejection(probe, misspelt)).isEqualTo("unknown field 'flag' in checkpoint.delete command "
                    + "(known there: checkpoint, commandId, domain, flags)");
            given().get("/api/v1/domains/" + domain + "/checkpoints/keep").then().statusCode(200);
        }
    }

    @Test
    void aCheckpointMayNotTakeANameTheHostAgentDeletes() throws Exception {
        try (TopicProbe probe = probe()) {
            ObjectNode json = redefine(domain, "backup-nightly");
            ObjectNode xml = command(domain, "checkpoint.create").put("checkpointXml", "<domaincheckpoint><name>"
                    + "libvirt-tmp-1</name><creationTime>1700000000</creationTime></domaincheckpoint>");
            xml.set("flags", JSON.createArrayNode().add("REDEFINE"));
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.writeValueAsString(json));
            probe.send(Topics.CHECKPOINT_COMMANDS, domain, JSON.writeValueAsString(xml));

            assertThat(rejection(probe, json)).startsWith("checkpoint.name 'backup-nightly' is reserved: names "
                    + "starting with 'backup-' or 'libvirt-tmp-'");
            assertThat(rejection(probe, xml)).startsWith("checkpointXml <name> 'libvirt-tmp-1' is reserved");
            given().get("/api/v1/domains/" + domain + "/checkpoints").then().statusCode(200).body("$",
                    org.hamcrest.Matchers.hasSize(0));
        }
    }

    private TopicProbe probe() {
        return TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.CHECKPOINT_EVENTS);
    }

    private static ObjectNode command(String domain, String type) {
        return JSON.createObjectNode().put("commandId", type + "-" + UUID.randomUUID()).put("type", type)
                .put("domain", domain);
    }

    /** A REDEFINE needs no host: what is refused here is refused by the service, not for want of an agent. */
    private static ObjectNode redefine(String domain, String name) {
        ObjectNode checkpoint = JSON.createObjectNode().put("name", name).put("creationTime", 1_700_000_000L);
        checkpoint.set("disks", JSON.createArrayNode().add(JSON.createObjectNode().put("name", "vda")
                .put("checkpoint", "bitmap").put("bitmap", name)));
        ObjectNode command = command(domain, "checkpoint.create");
        command.set("checkpoint", checkpoint);
        command.set("flags", JSON.createArrayNode().add("REDEFINE"));
        return command;
    }

    private static JsonNode outcome(TopicProbe probe, ObjectNode command) throws Exception {
        String commandId = command.get("commandId").asText();
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.value().contains(
                "\"commandId\":\"" + commandId + "\""), 1, WAIT);
        assertThat(found).as("the outcome of %s", commandId).hasSize(1);
        return JSON.readTree(found.get(0).value());
    }

    /** The rejection's message, after checking it is libvirt's VIR_ERR_INVALID_ARG and a small event. */
    private static String rejection(TopicProbe probe, ObjectNode command) throws Exception {
        JsonNode event = outcome(probe, command);
        assertThat(event.get("type").asText()).as(event.toString()).isEqualTo("command-rejected");
        assertThat(event.at("/error/code").asText()).isEqualTo("VIR_ERR_INVALID_ARG");
        assertThat(event.at("/error/number").asInt()).isEqualTo(8);
        assertThat(event.at("/commandType").asText()).isEqualTo(command.get("type").asText());
        assertThat(event.toString().length()).as("the rejection carries no copy of the input").isLessThan(2_000);
        return event.at("/error/message").asText();
    }
}
