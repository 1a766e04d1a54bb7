package io.cairn.checkpoint.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.command.Claim;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.command.ProcessedCommand;
import io.cairn.core.command.ProcessedCommandRepository;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The core's command claim against the real PostgreSQL: one delivery holds a commandId before any side effect, a
 * concurrent delivery is told it is held elsewhere (so it can never undo the holder's work), the holder's own retry
 * keeps it, a dead holder's claim is taken over after the lease, and an answered command is never claimed again.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class CommandClaimsTest {

    @Inject
    CommandOutcomes outcomes;

    @Inject
    ProcessedCommandRepository processed;

    @Test
    @RunOnVertxContext
    void aSecondDeliveryWaitsWhileTheFirstHoldsTheCommand(UniAsserter asserter) {
        String id = "claim-" + UUID.randomUUID();
        asserter.assertThat(() -> outcomes.claim(id, "vm-claims", "checkpoint.delete", "first"),
                claim -> assertThat(claim.held()).isTrue());
        asserter.assertThat(() -> outcomes.claim(id, "vm-claims", "checkpoint.delete", "second"),
                claim -> assertThat(claim).isEqualTo(new Claim(null, false)));
        // The holder's own retry (same token) still holds it.
        asserter.assertThat(() -> outcomes.claim(id, "vm-claims", "checkpoint.delete", "first"),
                claim -> assertThat(claim.held()).isTrue());
        asserter.assertThat(() -> outcomes.find(id), outcome -> assertThat(outcome).isNull());
    }

    @Test
    @RunOnVertxContext
    void anAnsweredCommandIsNeverClaimedAgainAndKeepsItsFirstOutcome(UniAsserter asserter) {
        String id = "claim-" + UUID.randomUUID();
        CairnEvent first = deleted(id, "c1");
        asserter.execute(() -> outcomes.claim(id, "vm-claims", "checkpoint.delete", "first"));
        asserter.execute(() -> outcomes.record(id, "vm-claims", "checkpoint.delete", first));
        asserter.execute(() -> outcomes.record(id, "vm-claims", "checkpoint.delete", deleted(id, "other")));
        asserter.assertThat(() -> outcomes.claim(id, "vm-claims", "checkpoint.delete", "first"), claim -> {
            assertThat(claim.held()).isFalse();
            assertThat(claim.outcome()).isNotNull();
            assertThat(claim.outcome().eventId()).isEqualTo(first.eventId());
        });
        asserter.assertThat(() -> Panache.withSession(() -> processed.findById(id)), row -> {
            assertThat(row.claimToken).isNull();
            assertThat(row.outcome).contains(first.eventId());
        });
    }

    @Test
    @RunOnVertxContext
    void aClaimWhoseHolderDiedIsTakenOverAfterTheLease(UniAsserter asserter) {
        String id = "claim-" + UUID.randomUUID();
        ProcessedCommand stale = new ProcessedCommand();
        stale.commandId = id;
        stale.domain = "vm-claims";
        stale.commandType = "checkpoint.delete";
        stale.claimToken = "dead-replica";
        stale.processedAt = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
        asserter.execute(() -> Panache.withTransaction(() -> processed.persist(stale)));
        asserter.assertThat(() -> outcomes.claim(id, "vm-claims", "checkpoint.delete", "redelivery"),
                claim -> assertThat(claim.held()).isTrue());
        asserter.assertThat(() -> Panache.withSession(() -> processed.findById(id)),
                row -> assertThat(row.claimToken).isEqualTo("redelivery"));
    }

    private static CairnEvent deleted(String commandId, String checkpoint) {
        return new CheckpointDeletedEvent(UUID.randomUUID().toString(), Instant.now(), "vm-claims", commandId,
                List.of(checkpoint), false);
    }
}
