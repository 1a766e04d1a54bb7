package io.cairn.backup.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.service.ServiceProcess;
import io.cairn.testing.stack.PrivateStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * backup-service while its PostgreSQL is down. Before, a command that met the outage was dead-lettered and never
 * answered; now it is transient under the core's one failure policy: retried with backoff until the database is
 * back, then answered exactly once, and nothing reaches the dead-letter topic. A private broker and database, since
 * the database is stopped.
 */
class PostgresOutageIT {
    private static final String DATABASE = "cairn_backup";

    @Test
    void commandsSentWhileTheDatabaseIsDownAreAnsweredOnceItIsBack() throws Exception {
        try (PrivateStack stack = PrivateStack.start(DATABASE);
                ServiceProcess service = ServiceProcess.start("backup-service", stack.addresses(), DATABASE);
                TopicProbe probe = TopicProbe.watching(stack.kafka().bootstrap(), Topics.BACKUP_EVENTS,
                        Topics.BACKUP_COMMANDS_DLQ)) {
            String warmUp = abort(probe);
            assertThat(rejections(probe, warmUp, Duration.ofSeconds(90))).as("the service answers: %s", service.log())
                    .hasSize(1);

            stack.postgres().stop();
            List<String> duringOutage = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                duringOutage.add(abort(probe));
            }
            // The outage is a length of time: the commands meet it, and their retries keep meeting it.
            Thread.sleep(8_000);
            stack.postgres().start();

            for (String commandId : duringOutage) {
                List<ConsumerRecord<String, String>> answers = rejections(probe, commandId, Duration.ofSeconds(90));
                assertThat(answers).as("one answer for %s; log:%n%s", commandId, service.log()).hasSize(1);
                assertThat(answers.get(0).value()).contains("VIR_ERR_OPERATION_INVALID").contains("no job is active");
            }
            assertThat(probe.seen(r -> r.topic().equals(Topics.BACKUP_COMMANDS_DLQ))).as("dead-lettered").isEmpty();
            // A second answer for any of them would show by now.
            assertThat(probe.awaitCount(r -> r.topic().equals(Topics.BACKUP_EVENTS)
                    && duringOutage.stream().anyMatch(id -> r.value().contains("\"commandId\":\"" + id + "\"")),
                    duringOutage.size() + 1, Duration.ofSeconds(3))).hasSize(duringOutage.size());
        }
    }

    /** backup.abort of a domain without a job: answered from the database ("no job is active on the domain"). */
    private static String abort(TopicProbe probe) {
        String commandId = "outage-" + UUID.randomUUID();
        String domain = "outage-vm-" + UUID.randomUUID().toString().substring(0, 8);
        probe.send(Topics.BACKUP_COMMANDS, domain, "{\"commandId\":\"" + commandId + "\",\"type\":\"backup.abort\","
                + "\"domain\":\"" + domain + "\"}");
        return commandId;
    }

    private static List<ConsumerRecord<String, String>> rejections(TopicProbe probe, String commandId,
            Duration wait) {
        probe.await(r -> r.value().contains("\"commandId\":\"" + commandId + "\""), wait);
        return probe.seen(r -> r.topic().equals(Topics.BACKUP_EVENTS)
                && r.value().contains("\"commandId\":\"" + commandId + "\"")
                && r.value().contains("command-rejected"));
    }
}
