package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.cloudevents.CloudEventHeaders;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.xml.CheckpointParseFlag;
import io.cairn.events.xml.CheckpointXml;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What an accepted command publishes fits one Kafka record (1 MiB by default, headers included), even where its
 * definition grows on the way from the command to the event.
 */
class EventBudgetTest {
    private static final CheckpointXml XML = new CheckpointXml();
    private static final String PARENT = "p".repeat(255);

    @Test
    void theRedefinitionThatGrowsMostOnItsWayToTheEventIsAcceptedAndFits() throws Exception {
        // A nested domain the parser re-indents up to the domain limit from little input, a description of JSON-escaped
        // characters at its limit, and compact disks (twice their size as JSON) filling the document to its limit.
        String domain = domainGrownTo(CommandLimits.MAX_DOMAIN_XML_BYTES);
        String head = "<domaincheckpoint><name>cp-1</name><creationTime>1</creationTime><description>"
                + "\\".repeat(CommandLimits.MAX_DESCRIPTION_BYTES) + "</description><disks>";
        String tail = "</disks>" + domain + "</domaincheckpoint>";
        StringBuilder disks = new StringBuilder();
        for (int i = 0; head.length() + disks.length() + tail.length() + 25 < CommandLimits.MAX_CHECKPOINT_XML_BYTES; i++) {
            disks.append("<disk name='vd").append(i).append("'/>");
        }
        String checkpointXml = head + disks + tail;
        CheckpointCreateCommand command = new CheckpointCreateCommand("c-1", "vm-1", checkpointXml, null,
                Set.of(CheckpointCreateFlag.REDEFINE));

        CheckpointDefinition parsed = XML.parse(checkpointXml, CheckpointParseFlag.REDEFINE);
        assertThatCode(() -> {
            command.validate();
            DefinitionRules.checkCheckpoint("checkpointXml", parsed);
            EventBudget.requireCheckpointCreated(command, parsed);
        }).doesNotThrowAnyException();

        CheckpointDefinition withParent = new CheckpointDefinition(parsed.name(), parsed.description(), PARENT,
                parsed.creationTime(), parsed.disks(), parsed.domainXml());
        CairnEvent event = new CheckpointCreatedEvent(UUID.randomUUID().toString(), Instant.now(), "vm-1",
                "c".repeat(256), withParent, true);
        long recordBytes = recordSize(event);
        assertThat(recordBytes).as("grew from a %d-byte document", checkpointXml.length())
                .isGreaterThan(2L * checkpointXml.length())
                .isLessThan(CommandLimits.KAFKA_DEFAULT_MAX_REQUEST_BYTES);
    }

    @Test
    void aPullBackupWhoseServerRepeatsInEveryExportIsRefusedBeforeItStarts() {
        // Each disk's NBD URI names the server: a long name times many disks is more than one record can hold.
        BackupServer server = new BackupServer("tcp", "h".repeat(100_000) + ".example.net", 10809, null, null, null);
        List<BackupDisk> disks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            disks.add(new BackupDisk("vd" + i, true, DiskBackupMode.INCREMENTAL, "cp-1", "vd" + i, null, null, null));
        }
        BackupBeginCommand command = new BackupBeginCommand("c-1", "vm-1", null,
                new BackupDefinition(BackupMode.PULL, "cp-1", server, disks.subList(0, 1)), null, null, null);

        assertThatCode(command::validate).doesNotThrowAnyException();
        assertThatCode(() -> EventBudget.requireBackupStarted(command,
                new BackupDefinition(BackupMode.PULL, "cp-1", server, disks.subList(0, 2)), null))
                .doesNotThrowAnyException();
        CairnException refused = catchThrowableOfType(CairnException.class, () -> EventBudget.requireBackupStarted(
                command, new BackupDefinition(BackupMode.PULL, "cp-1", server, disks), null));

        assertThat(refused.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(refused).hasMessageStartingWith("the backup-started event this backup.begin would publish is ")
                .hasMessageContaining("more than the limit of " + EventBudget.MAX_EVENT_BYTES + " bytes");
    }

    @Test
    void aLargeButOrdinaryRedefinitionIsWellWithinTheBudget() {
        CheckpointDefinition definition = new CheckpointDefinition("cp-1", "d".repeat(CommandLimits.MAX_DESCRIPTION_BYTES),
                PARENT, 1L, null, "<domain type='kvm'>" + "<disk type='file'/>\n".repeat(12_000) + "</domain>");
        CheckpointCreateCommand command = new CheckpointCreateCommand("c-1", "vm-1", null, definition,
                Set.of(CheckpointCreateFlag.REDEFINE));

        assertThatCode(() -> {
            command.validate();
            EventBudget.requireCheckpointCreated(command, definition);
        }).doesNotThrowAnyException();
    }

    /** A {@code <domain>} whose re-indented form is as close to {@code limit} bytes as whole lines allow. */
    private static String domainGrownTo(int limit) {
        long one = verbatimSize(nested(1));
        long perLine = verbatimSize(nested(2)) - one;
        String domain = nested((int) (1 + (limit - one) / perLine));
        assertThat(verbatimSize(domain)).isLessThanOrEqualTo(limit).isGreaterThan(limit - perLine);
        return domain;
    }

    private static String nested(int leaves) {
        int depth = 40;
        return "<domain type='kvm'>" + "<a>".repeat(depth) + "<b/>".repeat(leaves) + "</a>".repeat(depth) + "</domain>";
    }

    private static long verbatimSize(String domain) {
        String document = "<domaincheckpoint><name>cp-1</name><creationTime>1</creationTime>" + domain
                + "</domaincheckpoint>";
        return CommandLimits.utf8Length(XML.parse(document, CheckpointParseFlag.REDEFINE).domainXml());
    }

    /** What the outbox hands Kafka: key, value and headers (CloudEvents and a traceparent). */
    private static long recordSize(CairnEvent event) throws Exception {
        long bytes = CairnJson.mapper().writeValueAsBytes(event).length + event.domain().length()
                + "traceparent".length() + 55;
        for (var header : CloudEventHeaders.forEvent(event, CloudEventHeaders.CHECKPOINT_SERVICE_SOURCE).entrySet()) {
            bytes += header.getKey().getBytes(StandardCharsets.UTF_8).length + header.getValue().length;
        }
        return bytes;
    }
}
