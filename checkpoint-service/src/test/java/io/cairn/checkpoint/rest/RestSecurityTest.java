package io.cairn.checkpoint.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.security.LocalIssuer;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API refuses every caller it should, in the API's error format, and changes nothing for them: no token, a
 * forged or expired one, the wrong role, a domain out of the caller's scope; health stays open for probes, metrics
 * and OpenAPI are only on the management interface.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class RestSecurityTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final LocalIssuer issuer = LocalStack.issuer();
    // Relative to the management root, /q.
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;
    @TestHTTPResource(value = "/openapi", management = true)
    URL openApi;
    @TestHTTPResource("/")
    URL apiPort;
    private String domain;

    @BeforeEach
    void newDomain() {
        domain = "sec-vm-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void noTokenIsAuthFailedButHealthStaysOpen() {
        // Every other test calls as an admin of every domain (the harness's filter); this call has no token at all.
        given().noFilters().get("/api/v1/domains/{domain}/checkpoints", domain).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("VIR_ERR_AUTH_FAILED")).body("number", equalTo(45));
        given().noFilters().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void metricsAndOpenApiAreOnlyOnTheManagementInterface() {
        for (String path : List.of("/q/metrics", "/q/openapi")) {
            given().noFilters().get(path).then().statusCode(404);
            given().noFilters().get(path.equals("/q/metrics") ? metrics.toString() : openApi.toString())
                    .then().statusCode(200);
        }
        assertThat(metrics.getPort()).as("a port of its own").isNotEqualTo(apiPort.getPort());
        given().noFilters().get(metrics.toString()).then().body(containsString("jvm_"));
    }

    @Test
    void aTokenSignedByAnotherKeyOrExpiredIsAuthFailed(@TempDir Path otherKeys) {
        String forged = LocalIssuer.in(otherKeys).token("mallory", "admin", List.of("*"), HOUR);
        String expired = issuer.token("late", "admin", List.of("*"), Duration.ofMinutes(-5));
        for (String token : List.of(forged, expired, "not-a-jwt")) {
            as(token).get("/api/v1/domains/{domain}/checkpoints", domain).then().statusCode(401)
                    .body("code", equalTo("VIR_ERR_AUTH_FAILED"));
        }
    }

    @Test
    void aViewerReadsButCannotWriteAndItsWriteChangesNothing() throws Exception {
        String viewer = issuer.token("vera", "viewer", List.of("*"), HOUR);
        String commandId = "viewer-write-" + UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS)) {
            as(viewer).contentType(ContentType.XML).header("Idempotency-Key", commandId)
                    .body("<domaincheckpoint><name>c1</name></domaincheckpoint>")
                    .post("/api/v1/domains/{domain}/checkpoints", domain).then().statusCode(403)
                    .body("code", equalTo("VIR_ERR_ACCESS_DENIED")).body("number", equalTo(88));
            as(viewer).delete("/api/v1/domains/{domain}/checkpoints/c1", domain).then().statusCode(403);
            as(viewer).get("/api/v1/domains/{domain}/checkpoints", domain).then().statusCode(200)
                    .body("size()", equalTo(0));
            // libvirt refuses secure XML to a read-only connection.
            as(viewer).accept(ContentType.XML).get("/api/v1/domains/{domain}/checkpoints/c1?flags=SECURE", domain)
                    .then().statusCode(403).body("code", equalTo("VIR_ERR_OPERATION_DENIED"));
            as(viewer).get("/api/v1/commands/{id}", commandId).then().statusCode(404);
            assertThat(probe.seen(r -> r.value().contains(commandId))).as("no outcome: never a command").isEmpty();
        }
    }

    @Test
    void anOperatorActsButRedefineAndMetadataOnlyAreAnAdminsCall() {
        String operator = issuer.token("otto", "operator", List.of("*"), HOUR);
        // Past the role check the command runs: this domain runs nowhere, which is libvirt's NO_DOMAIN.
        as(operator).contentType(ContentType.XML).body("<domaincheckpoint><name>c1</name></domaincheckpoint>")
                .post("/api/v1/domains/{domain}/checkpoints", domain).then().statusCode(404)
                .body("code", equalTo("VIR_ERR_NO_DOMAIN"));
        as(operator).contentType(ContentType.XML).body("<domaincheckpoint><name>c1</name></domaincheckpoint>")
                .post("/api/v1/domains/{domain}/checkpoints?flags=REDEFINE", domain).then().statusCode(403)
                .body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
        as(operator).delete("/api/v1/domains/{domain}/checkpoints/c1?flags=METADATA_ONLY", domain).then()
                .statusCode(403).body("code", equalTo("VIR_ERR_ACCESS_DENIED"));
        String admin = issuer.token("ada", "admin", List.of("*"), HOUR);
        as(admin).delete("/api/v1/domains/{domain}/checkpoints/c1?flags=METADATA_ONLY", domain).then()
                .statusCode(404).body("code", equalTo("VIR_ERR_NO_DOMAIN_CHECKPOINT"));
    }

    @Test
    void aDomainOutOfScopeDoesNotExistForTheCaller() {
        String teamA = issuer.token("alice", "admin", List.of("team-a-*", "shared"), HOUR);
        String noScope = issuer.token("nobody", "admin", List.of(), HOUR);
        as(teamA).get("/api/v1/domains/{domain}/checkpoints", "team-a-web").then().statusCode(200);
        as(teamA).get("/api/v1/domains/{domain}/checkpoints", "shared").then().statusCode(200);
        for (String path : List.of("/api/v1/domains/{domain}/checkpoints", "/api/v1/domains/{domain}/bitmaps",
                "/api/v1/domains/{domain}/checkpoints/c1")) {
            as(teamA).get(path, "team-b-web").then().statusCode(404).body("code", equalTo("VIR_ERR_NO_DOMAIN"));
            as(noScope).get(path, "team-a-web").then().statusCode(404).body("code", equalTo("VIR_ERR_NO_DOMAIN"));
        }
        as(teamA).contentType(ContentType.XML).body("<domaincheckpoint><name>c1</name></domaincheckpoint>")
                .post("/api/v1/domains/{domain}/checkpoints?flags=REDEFINE", "team-b-web").then().statusCode(404)
                .body("code", equalTo("VIR_ERR_NO_DOMAIN"));
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
