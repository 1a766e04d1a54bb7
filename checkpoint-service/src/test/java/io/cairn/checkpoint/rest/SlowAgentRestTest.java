package io.cairn.checkpoint.rest;

import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.KafkaProvisioner;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A REST write whose host agent answers later than the REST bound. Before, the 202 at the bound cancelled the
 * command's pipeline: the command was left claimed and unanswered for ever (its status 404). Now only the wait is
 * bounded: the command goes on to its outcome (here the agent's timeout), which its status then shows.
 */
@QuarkusTest
@TestProfile(SlowAgentRestTest.ShortBounds.class)
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class SlowAgentRestTest {

    /** The REST answer comes after 1 s; the agent (which does not exist) is given 4 s. */
    public static class ShortBounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cairn.rest.write-answer-bound", "1s", "cairn.agent-gateway.timeout", "4s");
        }
    }

    @Inject
    HostDirectory hosts;

    @Test
    void aWriteAnsweredWith202StillGetsItsOutcome() {
        String domain = "slow-vm-" + UUID.randomUUID().toString().substring(0, 8);
        // A host that reports the domain but whose agent never answers.
        KafkaProvisioner.onboardHost(LocalStack.ensureRunning().kafkaBootstrap(), "host-silent-" + domain);
        hosts.remember(new HostInventory("host-silent-" + domain, Instant.now(), List.of(new DomainInventory(domain,
                "running", List.of(new DiskInventory("vda", "drive-vda", "/var/lib/cairn/" + domain + ".qcow2", "qcow2", 1 << 20,
                        false, List.of())), List.of()))));
        String commandId = "slow-" + UUID.randomUUID();

        given().contentType(ContentType.XML).header("Idempotency-Key", commandId)
                .body("<domaincheckpoint><name>c1</name></domaincheckpoint>")
                .post("/api/v1/domains/{domain}/checkpoints", domain)
                .then().statusCode(202).header("Location", org.hamcrest.Matchers.endsWith("/api/v1/commands/"
                        + commandId));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/commands/{id}", commandId)
                .then().statusCode(504).body("code", equalTo("VIR_ERR_OPERATION_TIMEOUT")));
    }
}
