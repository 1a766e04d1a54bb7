package io.cairn.backup.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.cairn.testing.agent.AgentProcess;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.stack.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the backup tests with a real host agent and guest-less QEMUs share, written once instead of in each class. */
final class RealAgentRig implements AutoCloseable {
    /** How long anything that crosses Kafka, the service and the agent may take. */
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();

    private final AgentProcess agent;
    private final List<GuestlessQemu> vms = new ArrayList<>();

    private RealAgentRig(AgentProcess agent) {
        this.agent = agent;
    }

    /**
     * Starts an agent on the local stack's broker.
     *
     * @param agentProperties more {@code -Dkey=value} settings for the agent, as {@link AgentProcess#start} takes
     */
    static RealAgentRig start(String... agentProperties) {
        return new RealAgentRig(AgentProcess.start(LocalStack.ensureRunning().kafkaBootstrap(), agentProperties));
    }

    AgentProcess agent() {
        return agent;
    }

    /**
     * A domain named {@code <prefix>-<8 random chars>} on the agent's host: its disks live in the domain's own directory
     * under the agent's storage root, so libvirt's default target names beside them are ones the agent accepts.
     * Closed with the rig.
     */
    GuestlessQemu vm(String prefix, DiskSpec... disks) {
        String domain = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        GuestlessQemu.Builder builder = GuestlessQemu.builder(agent.storageDir()).domain(domain).inDomainDirectory();
        for (DiskSpec disk : disks) {
            builder.disk(disk);
        }
        GuestlessQemu qemu = builder.start();
        vms.add(qemu);
        agent.adopt(domain, qemu.qmpSocket());
        return qemu;
    }

    /** Until an agent reports the domain, the service refuses its commands (VIR_ERR_NO_DOMAIN): tests wait for it. */
    static void awaitInventory(HostDirectory hosts, GuestlessQemu vm) {
        await().atMost(WAIT).until(() -> hosts.find(vm.domain()).isPresent());
    }

    /**
     * Jobs other test classes left "running" on hosts that never existed would hold the fleet's slots, and a test's
     * jobs would wait in the queue. Jobs on this rig's own host are left alone: the test ends those itself.
     */
    void endJobsOnOtherHosts(AgroalDataSource database, Class<?> test) throws Exception {
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(
                "update backup_job set state = 'FAILED', ended_at = now(), "
                        + "error = coalesce(error, 'ended by " + test.getSimpleName() + "'), version = version + 1 "
                        + "where state in ('QUEUED', 'STARTING', 'RUNNING') and host_id <> ?")) {
            statement.setString(1, agent.hostId());
            statement.executeUpdate();
        }
    }

    /** Watches the backup events from now on; a test sends its commands through the same probe. */
    static TopicProbe probe() {
        return TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.BACKUP_EVENTS);
    }

    /** A backup command for the vm's domain, ready for the caller's own fields. */
    static ObjectNode command(GuestlessQemu vm, String commandId, String type) {
        return JSON.createObjectNode().put("commandId", commandId).put("type", type).put("domain", vm.domain());
    }

    /** Publishes a command keyed by its domain, as the services key theirs, so it lands in the domain's order. */
    static void send(TopicProbe probe, GuestlessQemu vm, ObjectNode command) {
        probe.send(Topics.BACKUP_COMMANDS, vm.domain(), command.toString());
    }

    /**
     * Sends a backup.begin for the vm's domain and returns its command id: a fresh one starting with {@code idPrefix},
     * because the broker keeps earlier runs' records and a test must find only its own events.
     */
    static String beginBackup(TopicProbe probe, GuestlessQemu vm, String idPrefix, String backupXml) {
        String commandId = idPrefix + UUID.randomUUID();
        send(probe, vm, command(vm, commandId, "backup.begin").put("backupXml", backupXml));
        return commandId;
    }

    /** The same, for a backup that also creates the checkpoint {@code checkpointXml} defines. */
    static String beginBackup(TopicProbe probe, GuestlessQemu vm, String idPrefix, String backupXml,
            String checkpointXml) {
        String commandId = idPrefix + UUID.randomUUID();
        send(probe, vm, command(vm, commandId, "backup.begin").put("backupXml", backupXml)
                .put("checkpointXml", checkpointXml));
        return commandId;
    }

    /**
     * The one event of this type for the command; when it does not come, the failure shows every event of the
     * command and the agent's log, since the cause is usually only there.
     */
    JsonNode event(TopicProbe probe, String commandId, String type) {
        List<ConsumerRecord<String, String>> found = probe.awaitCount(r -> r.topic().equals(Topics.BACKUP_EVENTS)
                && ofCommand(r.value(), commandId) && r.value().contains("\"type\":\"" + type + "\""), 1, WAIT);
        assertThat(found).as("%s for %s (events: %s; agent log:%n%s)", type, commandId,
                probe.seen(r -> r.value().contains(commandId)).stream().map(ConsumerRecord::value).toList(),
                agent.log()).hasSize(1);
        try {
            return JSON.readTree(found.get(0).value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Whether the event is the command's: it carries its commandId, or (a backup-completed of a job an abort ended,
     * which carries the abort's commandId) names it as the job's begin.
     */
    static boolean ofCommand(String event, String commandId) {
        return event.contains("\"commandId\":\"" + commandId + "\"")
                || event.contains("\"beginCommandId\":\"" + commandId + "\"");
    }

    /** A second backup-completed would show within {@code window}: waiting for two proves there is one. */
    static void assertExactlyOneCompleted(TopicProbe probe, String begin, Duration window) {
        assertThat(probe.awaitCount(r -> ofCommand(r.value(), begin)
                && r.value().contains("\"type\":\"backup-completed\""), 2, window))
                .as("exactly one backup-completed").hasSize(1);
    }

    /**
     * The disk has only its own two block nodes (no target, scratch or filter node of a backup left) and exactly
     * these named bitmaps; {@code nodes} describes the node check in the test's own words.
     */
    static void assertOnlyTheDisksOwnNodesAndBitmaps(QmpProbe qmp, QemuDisk disk, List<String> bitmaps,
            String nodes) {
        assertThat(qmp.blockNodes()).as(nodes)
                .extracting(node -> node.path("node-name").asText() + "/" + node.path("drv").asText())
                .containsExactlyInAnyOrder(disk.formatNodeName() + "/qcow2", disk.storageNodeName() + "/file");
        assertThat(qmp.bitmapNames(disk.formatNodeName())).as("bitmaps of %s", disk.deviceId())
                .containsExactlyInAnyOrderElementsOf(bitmaps);
    }

    /** The QEMUs before the agent, the order these tests have always stopped them in. */
    @Override
    public void close() {
        vms.forEach(GuestlessQemu::close);
        agent.close();
    }
}
