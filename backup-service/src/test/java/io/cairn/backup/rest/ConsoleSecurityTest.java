package io.cairn.backup.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.cairn.testing.security.LocalIssuer;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The web console under security: its pages are open frames without data, behind a policy that lets them load only
 * this service's files; everything they show and do needs a token, with the caller's role and domain scope.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class ConsoleSecurityTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final LocalIssuer issuer = LocalStack.issuer();

    @Test
    void thePagesAreOpenFramesThatMayLoadOnlyThisServicesFiles() {
        given().noFilters().get("/console/domains/{name}", "web-<1>").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("data-domain=\"web-&lt;1&gt;\""))
                .body(containsString("<script type=\"module\" src=\"/console-assets/console.js\"></script>"));
        given().noFilters().get("/console-assets/console.js").then().statusCode(200)
                .body(containsString("sessionStorage"));
    }

    @Test
    void whatThePagesReadNeedsAToken() {
        for (String path : List.of("/api/v1/console/me", "/api/v1/console/fleet", "/api/v1/console/jobs",
                "/api/v1/console/events", "/api/v1/console/domains/web-1/checkpoints")) {
            assertThat(given().noFilters().get(path).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void aViewerIsToldItMayNotActAndItsActionsAreRefused() {
        String viewer = "Bearer " + issuer.token("vera", "viewer", List.of("web-*"), HOUR);
        given().noFilters().header("Authorization", viewer).get("/api/v1/console/me").then().statusCode(200)
                .body("name", equalTo("vera")).body("operator", equalTo(false)).body("domains[0]", equalTo("web-*"));
        given().noFilters().header("Authorization", viewer)
                .delete("/api/v1/console/domains/{d}/checkpoints/{c}", "web-1", "c1").then().statusCode(403);
        given().noFilters().header("Authorization", viewer).contentType("application/json").body("{\"name\":\"c\"}")
                .post("/api/v1/console/domains/{d}/checkpoints", "web-1").then().statusCode(403);
        String operator = "Bearer " + issuer.token("otto", "operator", List.of("web-*"), HOUR);
        given().noFilters().header("Authorization", operator).get("/api/v1/console/me").then().statusCode(200)
                .body("operator", equalTo(true)).body("admin", equalTo(false));
    }

    @Test
    void aDomainOutOfScopeDoesNotExistForTheConsoleEither() {
        String viewer = "Bearer " + issuer.token("vera", "viewer", List.of("web-*"), HOUR);
        given().noFilters().header("Authorization", viewer).get("/api/v1/console/domains/{d}/checkpoints", "db-1")
                .then().statusCode(404).body("code", equalTo("VIR_ERR_NO_DOMAIN"));
    }
}
