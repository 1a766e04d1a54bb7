package io.cairn.backup.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * One push backup through the whole system, timed as a user sees it: begin published, backup-started consumed,
 * backup-completed consumed. The target is deleted afterwards (a user would have moved it off the host).
 */
record PushRun(long toStartedNanos, long toCompletedNanos, long processedBytes) {
    private static final Duration WAIT = Duration.ofMinutes(10);

    static PushRun begin(BackupEventClock clock, String prefix, String domain, String backupXml, String checkpointXml) {
        String commandId = prefix + UUID.randomUUID();
        ObjectNode command = CairnJson.mapper().createObjectNode().put("commandId", commandId)
                .put("type", "backup.begin").put("domain", domain).put("backupXml", backupXml);
        if (checkpointXml != null) {
            command.put("checkpointXml", checkpointXml);
        }
        long sent = clock.send(domain, command.toString());
        BackupEventClock.Received started = clock.await(commandId, "backup-started", WAIT);
        BackupEventClock.Received completed = clock.await(commandId, "backup-completed", WAIT);
        assertThat(completed.event().path("status").asText()).as(completed.event().toString())
                .isEqualTo("completed");
        assertThat(completed.event().path("success").asBoolean()).isTrue();
        for (var disk : started.event().path("disks")) {
            try {
                Files.deleteIfExists(Path.of(disk.at("/store/path").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new PushRun(started.nanos() - sent, completed.nanos() - sent,
                completed.event().at("/statistics/disk_processed").asLong(-1));
    }
}
