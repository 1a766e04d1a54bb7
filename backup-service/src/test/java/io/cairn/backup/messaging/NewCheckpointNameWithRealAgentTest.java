package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.WAIT;
import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.event.LineageRetiredEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * backup.begin creating a checkpoint whose name the lineage holds, though its bitmap is lost on the host (a broken
 * checkpoint): refused with libvirt's duplicate-name error before any job or bitmap exists, and an incremental
 * from it refused as libvirt refuses one from a checkpoint whose bitmaps are lost; once the lineage forgets the name,
 * the same begin creates it. checkpoint-service's events are published as it publishes them.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class NewCheckpointNameWithRealAgentTest {
    private static RealAgentRig rig;
    private static GuestlessQemu vm;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void start() {
        rig = RealAgentRig.start();
        vm = rig.vm("name", new DiskSpec("vda", 8L << 20, List.of()));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aNameTheLineageHoldsIsRefusedBeforeAnyBitmapAndFreeAgainOnceDeleted() throws Exception {
        rig.endJobsOnOtherHosts(database, getClass());
        awaitInventory(hosts, vm);
        String domain = vm.domain();
        String checkpointXml = "<domaincheckpoint><name>lost</name></domaincheckpoint>";
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            // The lineage holds "lost"; its bitmap is on no disk (lost on the host: the lineage marks it broken).
            probe.send(Topics.CHECKPOINT_EVENTS, domain, CairnJson.mapper().writeValueAsString(
                    new CheckpointCreatedEvent(UUID.randomUUID().toString(), Instant.now(), domain, "create-lost",
                            new CheckpointDefinition("lost", null, null, 1L, null, null), false)));
            await().atMost(WAIT).until(() -> viewHolds(domain, "lost"));

            String refused = beginBackup(probe, vm, "dup-", "<domainbackup mode='push'/>", checkpointXml);
            assertRejected(rig.event(probe, refused, "command-rejected"), "VIR_ERR_OPERATION_FAILED", 9,
                    "domain moment lost already exists");
            assertThat(qmp.bitmapNames(vm.disk("vda").formatNodeName())).as("no bitmap touched").isEmpty();
            assertThat(count("select count(*) from backup_job where command_id = ?", refused)).as("no job").isZero();

            // An incremental from it: the lineage has it, its bitmap is lost (libvirt's case); from a name it lacks.
            assertRejected(rig.event(probe, beginBackup(probe, vm, "inc-lost-", incrementalFrom("lost")),
                    "command-rejected"), "VIR_ERR_CHECKPOINT_INCONSISTENT", 109,
                    "checkpoint inconsistent: missing or broken bitmap 'lost' for disk 'vda'");
            assertRejected(rig.event(probe, beginBackup(probe, vm, "inc-never-", incrementalFrom("never")),
                    "command-rejected"), "VIR_ERR_NO_DOMAIN_CHECKPOINT", 103,
                    "Checkpoint 'never' for incremental backup of disk 'vda' not found");

            // The VM re-created under the name retires its lineage: the names are free for the new VM.
            probe.send(Topics.CHECKPOINT_EVENTS, domain, CairnJson.mapper().writeValueAsString(
                    new CheckpointCreatedEvent(UUID.randomUUID().toString(), Instant.now(), domain, "create-old",
                            new CheckpointDefinition("old", null, null, 1L, null, null), false)));
            await().atMost(WAIT).until(() -> viewHolds(domain, "old"));
            probe.send(Topics.CHECKPOINT_EVENTS, domain, CairnJson.mapper().writeValueAsString(
                    new LineageRetiredEvent(UUID.randomUUID().toString(), Instant.now(), domain, null,
                            UUID.randomUUID().toString(), UUID.randomUUID().toString(), List.of("old"))));
            await().atMost(WAIT).until(() -> !viewHolds(domain, "old"));

            probe.send(Topics.CHECKPOINT_EVENTS, domain, CairnJson.mapper().writeValueAsString(
                    new CheckpointDeletedEvent(UUID.randomUUID().toString(), Instant.now(), domain, "delete-lost",
                            List.of("lost"), true)));
            await().atMost(WAIT).until(() -> !viewHolds(domain, "lost"));
            String accepted = beginBackup(probe, vm, "free-", "<domainbackup mode='push'/>", checkpointXml);
            // The checkpoint captures the domain as its QEMU reports it (Cairn writes the <domain> libvirt would).
            assertThat(rig.event(probe, accepted, "backup-started").at("/checkpoint/domainXml").asText()).contains(
                    "<name>" + domain + "</name>", "<source file='" + vm.disk("vda").image() + "'/>",
                    "<target dev='vda'/>");
            assertThat(rig.event(probe, accepted, "backup-completed").get("success").asBoolean()).isTrue();
            assertThat(qmp.bitmapNames(vm.disk("vda").formatNodeName())).containsExactly("lost");
        }
    }

    private static String incrementalFrom(String checkpoint) {
        return "<domainbackup mode='push'><incremental>" + checkpoint + "</incremental></domainbackup>";
    }

    private static void assertRejected(JsonNode rejection, String code, int number, String message) {
        assertThat(rejection.at("/error/code").asText()).as(rejection.toString()).isEqualTo(code);
        assertThat(rejection.at("/error/number").asInt()).isEqualTo(number);
        assertThat(rejection.at("/error/message").asText()).isEqualTo(message);
    }

    /** The lineage view's row, as LineageView reads it (the test thread has no Vert.x context for the service's own). */
    private boolean viewHolds(String domain, String name) throws Exception {
        return count("select count(*) from lineage_checkpoint where domain = ? and name = ?", domain, name) > 0;
    }

    private long count(String sql, String... parameters) throws Exception {
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
