package io.cairn.checkpoint.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.command.ProcessedCommand;
import io.cairn.core.command.ProcessedCommandRepository;
import io.cairn.core.command.RecordPruner;
import io.cairn.core.outbox.EventOutbox;
import io.cairn.core.outbox.OutboxEvent;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.core.outbox.OutboxRepository;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The core's outbox and its tables against the real broker and database: an event Kafka refuses for good is parked
 * with its reason while the other domains' events still flow (before, it failed every relay pass and blocked them
 * all), and answered commands and published events are pruned after their retention (before, never).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class OutboxAndRetentionTest {

    @Inject
    EventOutbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxRepository events;

    @Inject
    ProcessedCommandRepository processed;

    @Inject
    RecordPruner pruner;

    @Test
    @RunOnVertxContext
    void anEventKafkaRefusesIsParkedAndTheOthersAreStillPublished(UniAsserter asserter) {
        String poisonDomain = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        String healthyDomain = "healthy-" + UUID.randomUUID().toString().substring(0, 8);
        // Two mebibytes: over the producer's max.request.size (1 MiB), so Kafka refuses it however often it is sent.
        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 2 * 1024; i++) {
            huge.add("x".repeat(1024));
        }
        CheckpointDeletedEvent poison = new CheckpointDeletedEvent(UUID.randomUUID().toString(), Instant.now(),
                poisonDomain, null, huge, true);
        CheckpointDeletedEvent healthy = new CheckpointDeletedEvent(UUID.randomUUID().toString(), Instant.now(),
                healthyDomain, null, List.of("c1"), true);
        TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(), Topics.CHECKPOINT_EVENTS);
        asserter.execute(() -> Panache.withTransaction(() -> outbox.add(poison)));
        asserter.execute(() -> Panache.withTransaction(() -> outbox.add(healthy)));
        asserter.execute(() -> relay.relayUntilEmpty());
        asserter.execute(() -> {
            try (probe) {
                assertThat(probe.await(r -> r.value().contains(healthy.eventId()), Duration.ofSeconds(30)))
                        .as("the healthy domain's event behind the poison one").isPresent();
            }
        });
        asserter.assertThat(() -> Panache.withSession(() -> events.find("eventId", poison.eventId())
                .<OutboxEvent>firstResult()), row -> {
                    assertThat(row.publishedAt).isNull();
                    assertThat(row.parkedAt).isNotNull();
                    assertThat(row.parkReason).startsWith("RecordTooLargeException: ").contains("max.request.size");
                });
        asserter.assertThat(() -> Panache.withSession(() -> events.find("eventId", healthy.eventId())
                .<OutboxEvent>firstResult()), row -> assertThat(row.publishedAt).isNotNull());
    }

    @Test
    @RunOnVertxContext
    void answeredCommandsAndPublishedEventsArePrunedAfterTheirRetention(UniAsserter asserter) {
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(30);
        String old = "old-" + UUID.randomUUID();
        String claim = "claim-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        asserter.execute(() -> Panache.withTransaction(() -> processed.persist(row(old, "{}", longAgo))
                .flatMap(x -> processed.persist(row(claim, null, longAgo)))
                .flatMap(x -> processed.persist(row(recent, "{}", OffsetDateTime.now(ZoneOffset.UTC))))));
        asserter.execute(() -> pruner.pruneNow());
        asserter.assertThat(() -> Panache.withSession(() -> processed.findById(old)),
                row -> assertThat(row).as("answered 30 days ago").isNull());
        asserter.assertThat(() -> Panache.withSession(() -> processed.findById(claim)),
                row -> assertThat(row).as("a claim without an outcome is never pruned").isNotNull());
        asserter.assertThat(() -> Panache.withSession(() -> processed.findById(recent)),
                row -> assertThat(row).as("answered just now").isNotNull());
        asserter.execute(() -> Panache.withTransaction(() -> processed.deleteById(claim)));
    }

    private static ProcessedCommand row(String id, String outcome, OffsetDateTime at) {
        ProcessedCommand row = new ProcessedCommand();
        row.commandId = id;
        row.domain = "prune-vm";
        row.commandType = "checkpoint.delete";
        row.outcome = outcome;
        row.processedAt = at;
        row.claimToken = outcome == null ? "someone" : null;
        return row;
    }
}
