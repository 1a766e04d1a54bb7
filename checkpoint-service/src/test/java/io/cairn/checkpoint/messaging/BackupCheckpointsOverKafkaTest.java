package io.cairn.checkpoint.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A backup that creates a checkpoint (backup-started carrying it, as backup-service publishes it) puts that
 * checkpoint into the lineage as the current checkpoint's child, once per job however often the event arrives, and
 * announces it with checkpoint-created; backups without a checkpoint and unreadable records change nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class BackupCheckpointsOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = CairnJson.mapper();

    private final String domain = "backup-vm-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aBackupsCheckpointJoinsTheLineageOnceAsTheCurrentCheckpointsChild() throws Exception {
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS)) {
            String fullJob = UUID.randomUUID().toString();
            String full = started(fullJob, "full-" + fullJob, "b1", null);
            probe.send(Topics.BACKUP_EVENTS, domain, "{not json");
            probe.send(Topics.BACKUP_EVENTS, domain, started(UUID.randomUUID().toString(), "plain", null, null));
            probe.send(Topics.BACKUP_EVENTS, domain, full);
            probe.send(Topics.BACKUP_EVENTS, domain, full);
            String incrementalJob = UUID.randomUUID().toString();
            probe.send(Topics.BACKUP_EVENTS, domain, started(incrementalJob, "inc-" + incrementalJob, "b2", "b1"));

            JsonNode b1 = createdEvent(probe, "full-" + fullJob);
            JsonNode b2 = createdEvent(probe, "inc-" + incrementalJob);
            assertThat(b1.at("/checkpoint/name").asText()).isEqualTo("b1");
            assertThat(b1.at("/checkpoint/parent").isMissingNode() || b1.at("/checkpoint/parent").isNull())
                    .as("the first checkpoint is a root: %s", b1).isTrue();
            assertThat(b1.get("redefined").asBoolean()).isFalse();
            assertThat(b2.at("/checkpoint/parent").asText()).isEqualTo("b1");

            given().get("/api/v1/domains/{domain}/checkpoints?flags=TOPOLOGICAL", domain).then().statusCode(200)
                    .body("checkpoint.name", contains("b1", "b2"));
            given().get("/api/v1/domains/{domain}/checkpoints/b2/parent", domain).then().statusCode(200)
                    .body("checkpoint.name", equalTo("b1"));
            // The duplicate delivery of b1's backup-started had no second effect: a second event never comes (b2's,
            // sent after the duplicate on the same partition, has already arrived).
            List<ConsumerRecord<String, String>> forFull = probe.awaitCount(r -> r.value()
                    .contains("\"commandId\":\"full-" + fullJob + "\""), 2, Duration.ofSeconds(2));
            assertThat(forFull).hasSize(1);
        }
    }

    /**
     * Before, a checkpoint created with a backup stayed in the lineage when the backup then failed: the next
     * incremental from it would build a chain with no valid base.
     */
    @Test
    void aBackupThatDoesNotSucceedTakesItsCheckpointBackAndASuccessfulOneKeepsIt() throws Exception {
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS)) {
            String keptJob = UUID.randomUUID().toString();
            probe.send(Topics.BACKUP_EVENTS, domain, started(keptJob, "ok-" + keptJob, "k1", null));
            probe.send(Topics.BACKUP_EVENTS, domain, completed(keptJob, "ok-" + keptJob, "ok-" + keptJob, true));
            String failedJob = UUID.randomUUID().toString();
            probe.send(Topics.BACKUP_EVENTS, domain, started(failedJob, "bad-" + failedJob, "k2", "k1"));
            createdEvent(probe, "bad-" + failedJob);
            // Ended by a user's abort: the completion carries the abort's commandId and names the begin apart.
            String abort = "abort-" + failedJob;
            String failure = completed(failedJob, abort, "bad-" + failedJob, false);
            probe.send(Topics.BACKUP_EVENTS, domain, failure);
            probe.send(Topics.BACKUP_EVENTS, domain, failure);

            ConsumerRecord<String, String> deleted = probe.await(r -> r.value().contains("checkpoint-deleted")
                    && r.value().contains("\"commandId\":\"" + abort + "\""), WAIT)
                    .orElseThrow(() -> new AssertionError("no checkpoint-deleted for the failed backup"));
            assertThat(JSON.readTree(deleted.value()).get("checkpoints").toString()).isEqualTo("[\"k2\"]");
            given().get("/api/v1/domains/{domain}/checkpoints?flags=TOPOLOGICAL", domain).then().statusCode(200)
                    .body("checkpoint.name", contains("k1"));
            given().get("/api/v1/domains/{domain}/checkpoints/k2", domain).then().statusCode(404);
            assertThat(probe.awaitCount(r -> r.value().contains("checkpoint-deleted")
                    && r.value().contains(abort), 2, Duration.ofSeconds(2))).as("one deletion for two deliveries")
                    .hasSize(1);
        }
    }

    private String completed(String jobId, String commandId, String beginCommandId, boolean success)
            throws Exception {
        return JSON.writeValueAsString(new BackupCompletedEvent(UUID.randomUUID().toString(), Instant.now(), domain,
                commandId, jobId, success ? BackupCompletionStatus.COMPLETED : BackupCompletionStatus.CANCELLED,
                success, success ? null : "cancelled", null, beginCommandId));
    }

    private static JsonNode createdEvent(TopicProbe probe, String commandId) throws Exception {
        ConsumerRecord<String, String> record = probe.await(r -> r.value()
                .contains("\"commandId\":\"" + commandId + "\""), WAIT)
                .orElseThrow(() -> new AssertionError("no checkpoint-created for " + commandId));
        JsonNode event = JSON.readTree(record.value());
        assertThat(event.get("type").asText()).isEqualTo("checkpoint-created");
        return event;
    }

    private String started(String jobId, String commandId, String checkpoint, String incremental) throws Exception {
        CheckpointDefinition definition = checkpoint == null ? null : new CheckpointDefinition(checkpoint, null, null,
                Instant.now().getEpochSecond(), List.of(new CheckpointDisk("vda", CheckpointDiskMode.BITMAP,
                        checkpoint, null)), null);
        return JSON.writeValueAsString(new BackupStartedEvent(UUID.randomUUID().toString(), Instant.now(), domain,
                commandId, jobId, BackupMode.PUSH, incremental, List.<BackupDisk>of(), null, definition));
    }
}
