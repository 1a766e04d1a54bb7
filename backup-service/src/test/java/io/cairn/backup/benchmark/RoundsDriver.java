package io.cairn.backup.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps one full push in flight per domain, as libvirt's one-backup-per-domain rule allows: every domain's first
 * begin at once, each next round the moment the previous one's backup-completed is consumed (its target deleted
 * first, so libvirt's default target name, which carries the Unix second, never collides).
 */
final class RoundsDriver {
    /**
     * What the run came to: completions, failed or refused backups, per-backup latencies, the wall time, and per
     * command id the wall-clock times its begin was published and its backup-completed consumed (to set beside the
     * job table's times).
     */
    record Outcome(long completed, List<JsonNode> failures, List<Long> toCompletedNanos, long wallNanos,
            Map<String, Instant> published, Map<String, Instant> completedAt) {
    }

    private final BackupEventClock clock;
    private final String prefix;
    private final int rounds;
    private final Map<String, String> domainOf = new HashMap<>();
    private final Map<String, Integer> roundOf = new HashMap<>();
    private final Map<String, Long> sentAt = new HashMap<>();
    private final Map<String, Instant> published = new HashMap<>();
    private final Map<String, Instant> completedAt = new HashMap<>();
    private final Map<String, List<Path>> targetsOf = new HashMap<>();
    private final List<Long> toCompleted = new ArrayList<>();
    private final List<JsonNode> failures = new ArrayList<>();

    RoundsDriver(BackupEventClock clock, String prefix, int rounds) {
        this.clock = clock;
        this.prefix = prefix;
        this.rounds = rounds;
    }

    Outcome drive(List<String> domains, Duration wait) throws InterruptedException {
        long started = System.nanoTime();
        domains.forEach(domain -> begin(domain, 1));
        long completed = 0;
        long total = (long) domains.size() * rounds;
        while (completed + failures.size() < total && System.nanoTime() - started < wait.toNanos()) {
            BackupEventClock.Received event = clock.next(Duration.ofSeconds(1));
            if (event == null) {
                continue;
            }
            String commandId = event.commandId();
            switch (event.type()) {
                case "backup-started" -> targetsOf.put(commandId, targets(event.event()));
                case "backup-completed" -> {
                    toCompleted.add(event.nanos() - sentAt.get(commandId));
                    completedAt.put(commandId, Instant.now().minusNanos(System.nanoTime() - event.nanos()));
                    if (event.event().path("success").asBoolean()) {
                        completed++;
                    } else {
                        failures.add(event.event());
                    }
                    targetsOf.getOrDefault(commandId, List.of()).forEach(RoundsDriver::delete);
                    if (roundOf.get(commandId) < rounds) {
                        begin(domainOf.get(commandId), roundOf.get(commandId) + 1);
                    }
                }
                case "command-rejected" -> failures.add(event.event());
                default -> {
                }
            }
        }
        return new Outcome(completed, failures, toCompleted, System.nanoTime() - started, published, completedAt);
    }

    private void begin(String domain, int round) {
        String commandId = prefix + domain + "-r" + round + "-" + UUID.randomUUID().toString().substring(0, 8);
        domainOf.put(commandId, domain);
        roundOf.put(commandId, round);
        String command = CairnJson.mapper().createObjectNode().put("commandId", commandId).put("type", "backup.begin")
                .put("domain", domain).put("backupXml", "<domainbackup mode='push'/>").toString();
        published.put(commandId, Instant.now());
        sentAt.put(commandId, clock.send(domain, command));
    }

    private static List<Path> targets(JsonNode started) {
        List<Path> targets = new ArrayList<>();
        started.path("disks").forEach(disk -> targets.add(Path.of(disk.at("/store/path").asText())));
        return targets;
    }

    private static void delete(Path target) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
