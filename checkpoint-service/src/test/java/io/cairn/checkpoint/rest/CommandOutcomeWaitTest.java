package io.cairn.checkpoint.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.cairn.core.command.OutcomeWaits;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.testing.security.LocalIssuer;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/commands/{id}?wait=} against the real stack: an outcome this replica records during the wait
 * answers it at once (its relay's signal, well before the next re-check), one recorded by another replica (written
 * straight to the database, no signal) at the next re-check, no outcome is 404 after the wait, a bad wait is 400,
 * and an outcome out of the caller's scope stays a 404 at the end of the wait.
 */
@QuarkusTest
@TestProfile(CommandOutcomeWaitTest.SlowRecheck.class)
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class CommandOutcomeWaitTest {
    private static final Logger LOG = Logger.getLogger(CommandOutcomeWaitTest.class);
    private static final Duration RECHECK = Duration.ofSeconds(3);

    /** A re-check slow enough that an answer well within it can only have come from the signal. */
    public static class SlowRecheck implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cairn.rest.outcome-recheck", RECHECK.toSeconds() + "s");
        }
    }

    @Inject
    OutcomeWaits waits;

    @Inject
    AgroalDataSource database;

    private final String domain = "wait-vm-" + UUID.randomUUID().toString().substring(0, 8);

    /** A GET answered at a time we note, and when it was sent. */
    private record Timed(Response response, long sentNanos, long answeredNanos) {
        Duration took() {
            return Duration.ofNanos(answeredNanos - sentNanos);
        }
    }

    @Test
    void anOutcomeRecordedHereDuringTheWaitAnswersAtOnce() {
        String commandId = "wait-" + UUID.randomUUID();
        CompletableFuture<Timed> waiting = waitFor(() -> given(), commandId, "PT20S");
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiting(commandId) == 1);

        given().contentType(ContentType.XML).header("Idempotency-Key", commandId)
                .body("<domaincheckpoint><name>c1</name><creationTime>1700000001</creationTime>"
                        + "<disks><disk name='vda' checkpoint='bitmap' bitmap='c1'/></disks></domaincheckpoint>")
                .post("/api/v1/domains/{domain}/checkpoints?flags=REDEFINE", domain).then().statusCode(200);
        long recorded = System.nanoTime();

        Timed answer = waiting.join();
        LOG.infof("wait answered %d ms after the outcome was recorded here (signal)",
                (answer.answeredNanos() - recorded) / 1_000_000);
        answer.response().then().statusCode(200).body("commandId", equalTo(commandId))
                .body("checkpoint.name", equalTo("c1"));
        assertThat(Duration.ofNanos(answer.answeredNanos() - recorded)).as("answered by the signal, not a re-check")
                .isLessThan(Duration.ofMillis(1500));
        assertThat(answer.took()).isLessThan(Duration.ofSeconds(10));
        assertThat(waits.waiting(commandId)).as("the wait's listener is gone").isZero();
    }

    @Test
    void anOutcomeAnotherReplicaRecordedIsFoundByTheRecheck() throws Exception {
        String commandId = "wait-" + UUID.randomUUID();
        CompletableFuture<Timed> waiting = waitFor(() -> given(), commandId, "20");
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiting(commandId) == 1);

        CheckpointDeletedEvent outcome = recordElsewhere(commandId, domain);
        long recorded = System.nanoTime();

        Timed answer = waiting.join();
        LOG.infof("wait answered %d ms after another replica recorded the outcome (re-check every %s)",
                (answer.answeredNanos() - recorded) / 1_000_000, RECHECK);
        answer.response().then().statusCode(200).body("eventId", equalTo(outcome.eventId()));
        assertThat(Duration.ofNanos(answer.answeredNanos() - recorded)).as("found at the next re-check")
                .isLessThan(RECHECK.plusSeconds(2));
        assertThat(answer.took()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aWaitWithoutOutcomeIs404AfterTheWait() {
        String commandId = "wait-" + UUID.randomUUID();
        Timed iso = waitFor(() -> given(), commandId, "PT2S").join();
        LOG.infof("wait PT2S without an outcome answered 404 after %d ms", iso.took().toMillis());
        iso.response().then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        assertThat(iso.took()).isBetween(Duration.ofSeconds(2), Duration.ofMillis(4500));

        Timed seconds = waitFor(() -> given(), commandId, "1.5").join();
        seconds.response().then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        assertThat(seconds.took()).isBetween(Duration.ofMillis(1500), Duration.ofMillis(4000));

        Timed none = waitFor(() -> given(), commandId, null).join();
        none.response().then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        assertThat(none.took()).as("without wait, as before: at once").isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aBadWaitIsInvalidArg() {
        for (String bad : List.of("soon", "", "-5", "PT-1S", "P1Y", "1e3", "PT20")) {
            given().log().ifValidationFails().queryParam("wait", bad).get("/api/v1/commands/{id}", "wait-bad").then().statusCode(400)
                    .body("code", equalTo("VIR_ERR_INVALID_ARG")).body("number", equalTo(8));
        }
    }

    @Test
    void anOutcomeOutOfTheCallersScopeIsA404AtTheEndOfTheWait() throws Exception {
        String commandId = "wait-" + UUID.randomUUID();
        recordElsewhere(commandId, domain);
        LocalIssuer issuer = LocalStack.issuer();
        String stranger = issuer.token("vera", "viewer", List.of("other-" + domain), Duration.ofHours(1));
        String viewer = issuer.token("vic", "viewer", List.of(domain), Duration.ofHours(1));

        Timed hidden = waitFor(() -> as(stranger), commandId, "PT1S").join();
        hidden.response().then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        assertThat(hidden.took()).as("no sooner than when there is no outcome at all")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        Timed seen = waitFor(() -> as(viewer), commandId, "PT20S").join();
        seen.response().then().statusCode(200).body("commandId", equalTo(commandId));
        assertThat(seen.took()).isLessThan(Duration.ofSeconds(2));
    }

    private static CompletableFuture<Timed> waitFor(Supplier<RequestSpecification> caller, String commandId,
            String wait) {
        return CompletableFuture.supplyAsync(() -> {
            RequestSpecification request = caller.get();
            if (wait != null) {
                request.queryParam("wait", wait);
            }
            long sent = System.nanoTime();
            Response response = request.get("/api/v1/commands/{id}", commandId);
            return new Timed(response, sent, System.nanoTime());
        });
    }

    /** What a replica's record leaves in the shared database, with no outbox row this replica's relay could see. */
    private CheckpointDeletedEvent recordElsewhere(String commandId, String domain) throws Exception {
        CheckpointDeletedEvent outcome = new CheckpointDeletedEvent(UUID.randomUUID().toString(), Instant.now(),
                domain, commandId, List.of("c9"), false);
        try (Connection connection = database.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "insert into processed_command (command_id, domain, command_type, outcome, processed_at) "
                        + "values (?, ?, 'checkpoint.delete', ?, ?)")) {
            insert.setString(1, commandId);
            insert.setString(2, domain);
            insert.setString(3, CairnJson.mapper().writeValueAsString(outcome));
            insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
        return outcome;
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
