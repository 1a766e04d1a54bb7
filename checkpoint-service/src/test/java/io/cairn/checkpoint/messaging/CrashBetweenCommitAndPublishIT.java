package io.cairn.checkpoint.messaging;

import io.cairn.testing.stack.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.StackAddresses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

/**
 * The packaged service is killed (SIGKILL) after it committed a command's outcome and before it published it; the
 * restarted service publishes that outcome, exactly once. The relay is switched off in the first process so the
 * crash lands in that window every time, not by luck.
 */
class CrashBetweenCommitAndPublishIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String DATABASE = "cairn_checkpoint_test";

    @Test
    void anOutcomeCommittedBeforeACrashIsPublishedOnceAfterTheRestart() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        // The service principal may only use groups prefixed with its own name (its ACL).
        String group = "cairn-checkpoint-service-crash-test-" + UUID.randomUUID();
        String[] settings = {"-Dmp.messaging.incoming.checkpoint-commands.group.id=" + group,
            "-Dmp.messaging.incoming.checkpoint-commands.auto.offset.reset=latest",
            // The killed member leaves no goodbye: the broker notices it after the session timeout (45 s by default).
            "-Dmp.messaging.incoming.checkpoint-commands.session.timeout.ms=6000",
            "-Dmp.messaging.incoming.checkpoint-commands.partitions=1"};
        String domain = "crash-vm-" + UUID.randomUUID().toString().substring(0, 8);
        String commandId = "crash-" + UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.watching(stack.kafkaBootstrap(), Topics.CHECKPOINT_EVENTS)) {
            try (ServiceProcess first = ServiceProcess.start("checkpoint-service", stack, DATABASE,
                    concat(settings, "-Dcairn.outbox.relay-enabled=false"))) {
                awaitAssigned(stack, group);
                probe.send(Topics.CHECKPOINT_COMMANDS, domain, redefine(commandId, domain));
                // A claim row appears before the work; the outcome fills it in the transaction that also writes the outbox.
                awaitRow(stack, "select count(*) from processed_command where command_id = ? and outcome is not null",
                        commandId, 1);
                assertThat(count(stack, "select count(*) from outbox_event where published_at is null and payload like ?",
                        "%" + commandId + "%")).as("the outcome waits in the outbox").isEqualTo(1);
                assertThat(probe.seen(r -> r.value().contains(commandId))).as("not published before the crash")
                        .isEmpty();
                first.kill9();
            }
            try (ServiceProcess second = ServiceProcess.start("checkpoint-service", stack, DATABASE, settings)) {
                awaitAssigned(stack, group);
                awaitRow(stack, "select count(*) from outbox_event where published_at is not null and payload like ?",
                        "%" + commandId + "%", 1);
                // A later command's event proves the relay moved on; the crashed one is on the topic exactly once.
                String after = "after-" + UUID.randomUUID();
                probe.send(Topics.CHECKPOINT_COMMANDS, domain, redefine(after, domain).replace("\"c1\"", "\"c2\""));
                awaitRow(stack, "select count(*) from outbox_event where published_at is not null and payload like ?",
                        "%" + after + "%", 1);
                assertThat(TopicProbe.readAll(stack.kafkaBootstrap(), Topics.CHECKPOINT_EVENTS,
                        r -> r.value().contains("\"commandId\":\"" + commandId + "\""))).as("%s", second.log())
                        .hasSize(1);
                assertThat(count(stack, "select count(*) from outbox_event where published_at is null and payload like ?",
                        "%" + commandId + "%")).isZero();
            }
        }
    }

    private static String redefine(String commandId, String domain) {
        return "{\"commandId\":\"" + commandId + "\",\"type\":\"checkpoint.create\",\"domain\":\"" + domain + "\","
                + "\"checkpoint\":{\"name\":\"c1\",\"creationTime\":1700000000,\"disks\":[{\"name\":\"vda\","
                + "\"checkpoint\":\"bitmap\",\"bitmap\":\"c1\"}]},\"flags\":[\"REDEFINE\"]}";
    }

    private static void awaitAssigned(StackAddresses stack, String group) throws Exception {
        try (Admin admin = Admin.create(KafkaAccess.admin(stack.kafkaBootstrap()))) {
            int partitions = partitionsOf(admin);
            // One live member holding every partition: the dead one is gone from the group.
            await("group " + group + " holding every partition with one member").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        Optional<ConsumerGroupDescription> description = describe(admin, group);
                        return description.isPresent() && description.get().members().size() == 1
                                && description.get().members().stream()
                                        .mapToInt(m -> m.assignment().topicPartitions().size()).sum() == partitions;
                    });
        }
    }

    /** Empty while the group does not exist yet: a new consumer's group appears only after its first join. */
    private static Optional<ConsumerGroupDescription> describe(Admin admin, String group) throws Exception {
        try {
            return Optional.of(admin.describeConsumerGroups(java.util.List.of(group)).describedGroups().get(group)
                    .get(10, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static int partitionsOf(Admin admin) throws Exception {
        return admin.describeTopics(java.util.List.of(Topics.CHECKPOINT_COMMANDS)).allTopicNames().get()
                .get(Topics.CHECKPOINT_COMMANDS).partitions().size();
    }

    private static void awaitRow(StackAddresses stack, String sql, String value, long expected) throws Exception {
        await("a row for " + value).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> count(stack, sql, value) == expected);
    }

    private static long count(StackAddresses stack, String sql, String value) throws Exception {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(DATABASE), stack.pgUser(),
                stack.pgPassword()); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
