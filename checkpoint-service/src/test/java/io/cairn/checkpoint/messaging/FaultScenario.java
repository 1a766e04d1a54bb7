package io.cairn.checkpoint.messaging;

import io.cairn.testing.stack.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.events.topic.Topics;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.PrivatePostgres;
import io.cairn.testing.stack.PrivateStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * The shared body of the restart fault tests: stream commands at the packaged service, take one dependency away
 * mid-stream and bring it back, then check that every accepted command has exactly one outcome (one eventId, the
 * type the lineage rules give it) and that the database holds exactly the lineage those outcomes report.
 */
final class FaultScenario {
    /** A dependency the scenario restarts. */
    interface Dependency {
        void stop();

        void start();
    }

    static final String DATABASE = "cairn_checkpoint";
    private static final String SERVICE_GROUP = "cairn-checkpoint-service";
    private static final int COMMANDS = 240;
    private static final int FAULT_AFTER = 50;
    private static final long SEND_INTERVAL_MS = 50;
    private static final Duration DOWNTIME = Duration.ofSeconds(8);
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(60);

    private final String name;
    private final PrivateStack stack;
    private final Dependency dependency;
    private volatile long downAt;
    private volatile long upAt;

    FaultScenario(String name, PrivateStack stack, Dependency dependency) {
        this.name = name;
        this.stack = stack;
        this.dependency = dependency;
    }

    void run() throws Exception {
        long t0 = System.currentTimeMillis();
        try (ServiceProcess service = ServiceProcess.start("checkpoint-service", stack.addresses(), DATABASE);
                CommandStream stream = new CommandStream(stack.kafka().bootstrap(), 4)) {
            // The fault must land while commands are being applied, not while the service still joins its group.
            awaitCommandsAssigned(stack.kafka().bootstrap());
            CompletableFuture<Void> fault = null;
            for (int i = 0; i < COMMANDS; i++) {
                stream.sendNext();
                if (i == FAULT_AFTER) {
                    fault = CompletableFuture.runAsync(this::restart);
                }
                // Pacing, not waiting: the stream must still be flowing when the fault lands.
                Thread.sleep(SEND_INTERVAL_MS);
            }
            fault.get(3, TimeUnit.MINUTES);
            stream.flush();
            assertThat(stream.sendFailures()).as("the broker accepted every command").isEmpty();
            Map<String, CommandStream.Sent> accepted = stream.accepted();
            try (OutcomeLog outcomes = new OutcomeLog(stack.kafka().bootstrap())) {
                boolean answered = outcomes.readUntil(() -> outcomes.allAnswered(accepted.keySet()), ANSWER_WAIT);
                awaitOutboxDrained(service);
                // A duplicate published late (a redelivered command) would still show up here.
                outcomes.readFor(Duration.ofSeconds(2));
                report(stream, accepted, outcomes, System.currentTimeMillis() - t0);
                // Per command first: it names what is missing or wrong, which "not all answered" would not.
                assertOneOutcomeEach(accepted, outcomes, service);
                assertThat(answered).isTrue();
            }
            assertDatabase(stream, accepted.keySet());
        }
    }

    private static void awaitCommandsAssigned(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(KafkaAccess.admin(bootstrap))) {
            int partitions = admin.describeTopics(List.of(Topics.CHECKPOINT_COMMANDS)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.CHECKPOINT_COMMANDS).partitions().size();
            await("the service holding every partition of " + Topics.CHECKPOINT_COMMANDS).atMost(ANSWER_WAIT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> assignedPartitions(admin) == partitions);
        }
    }

    /** Partitions the service's group holds now; a group that does not exist yet (Kafka 4 says so) holds none. */
    private static int assignedPartitions(Admin admin) throws Exception {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(SERVICE_GROUP))
                    .describedGroups().get(SERVICE_GROUP).get(30, TimeUnit.SECONDS);
            return group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    private void restart() {
        // Mid-stream for the service, not only for the sender: some commands applied, more on their way.
        await("commands applied before the fault").atMost(ANSWER_WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> processedCommands() >= FAULT_AFTER / 2);
        downAt = System.currentTimeMillis();
        dependency.stop();
        // The outage itself is a length of time, not a condition: the dependency stays down this long.
        sleep(DOWNTIME.toMillis());
        dependency.start();
        upAt = System.currentTimeMillis();
    }

    private static void assertOneOutcomeEach(Map<String, CommandStream.Sent> accepted, OutcomeLog outcomes,
            ServiceProcess service) {
        Map<String, String> wrong = new LinkedHashMap<>();
        for (CommandStream.Sent sent : accepted.values()) {
            Set<String> eventIds = new HashSet<>();
            Set<String> types = new HashSet<>();
            outcomes.of(sent.commandId()).forEach(o -> {
                eventIds.add(o.eventId());
                types.add(o.type());
            });
            if ((eventIds.size() != 1 || !types.equals(Set.of(sent.expectedType()))) && wrong.size() < 10) {
                wrong.put(sent.commandId(), eventIds.size() + " eventIds, types " + types + ", expected "
                        + sent.expectedType() + outcomes.of(sent.commandId()).stream().findFirst()
                        .map(o -> ": " + o.value()).orElse(""));
            }
        }
        assertThat(wrong).as("commands without exactly one outcome of the expected type (first 10 of %d); log:%n%s",
                accepted.size(), tail(service.log())).isEmpty();
    }

    private void assertDatabase(CommandStream stream, Set<String> commandIds) throws SQLException {
        try (Connection db = connect()) {
            assertThat(strings(db, "select command_id from processed_command where outcome is not null")).as("answered commands")
                    .containsExactlyInAnyOrderElementsOf(commandIds);
            for (String domain : stream.domains()) {
                Map<String, String> lineage = new HashMap<>();
                try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                        "select name, parent_name from checkpoint where domain = '" + domain + "'")) {
                    while (rows.next()) {
                        lineage.put(rows.getString(1), rows.getString(2));
                    }
                }
                Map<String, String> expected = stream.expectedLineage(domain);
                assertThat(lineage).as("lineage of %s", domain).isEqualTo(expected);
                String last = expected.keySet().stream().reduce((first, second) -> second).orElse(null);
                assertThat(strings(db, "select current_checkpoint from checkpoint_domain where domain = '" + domain
                        + "'")).as("current checkpoint of %s", domain).containsExactly(last);
            }
        }
    }

    private void awaitOutboxDrained(ServiceProcess service) throws SQLException {
        try {
            await().atMost(ANSWER_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> pendingOutbox() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the outbox never drained; service log:\n" + tail(service.log()), e);
        }
    }

    private long pendingOutbox() throws SQLException {
        return count("select count(*) from outbox_event where published_at is null");
    }

    private long processedCommands() {
        try {
            return count("select count(*) from processed_command where outcome is not null");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection db = connect(); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The figures the issue asks for, on stdout (failsafe keeps them in the report). */
    private void report(CommandStream stream, Map<String, CommandStream.Sent> accepted, OutcomeLog outcomes,
            long elapsedMillis) {
        long recovery = 0;
        long created = 0;
        long rejected = 0;
        for (CommandStream.Sent sent : accepted.values()) {
            for (OutcomeLog.Outcome outcome : outcomes.of(sent.commandId())) {
                if (sent.sentAtMillis() <= upAt) {
                    recovery = Math.max(recovery, outcome.timestamp() - upAt);
                }
            }
            String first = outcomes.of(sent.commandId()).stream().findFirst().map(OutcomeLog.Outcome::type).orElse("");
            created += first.equals("checkpoint-created") ? 1 : 0;
            rejected += first.equals("command-rejected") ? 1 : 0;
        }
        System.out.printf("[%s] %d records sent, %d distinct commands accepted; outcomes: %d checkpoint-created, "
                + "%d command-rejected, %d event records in all; down %d ms; last outcome of a command sent before "
                + "the restart came %d ms after it; scenario %d ms%n", name, stream.recordsSent(), accepted.size(),
                created, rejected, outcomes.records(), upAt - downAt, recovery, elapsedMillis);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.postgres().jdbcUrl(DATABASE), PrivatePostgres.USER,
                PrivatePostgres.PASSWORD);
    }

    private static java.util.List<String> strings(Connection db, String sql) throws SQLException {
        java.util.List<String> values = new java.util.ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static String tail(String log) {
        return log.length() <= 6000 ? log : "..." + log.substring(log.length() - 6000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
