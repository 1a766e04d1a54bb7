package io.cairn.checkpoint.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.cairn.core.security.SecurityOffWarning;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The explicit switch: with {@code cairn.security.enabled=false} every caller, without a token, is an admin of every
 * domain, and the start says so in a warning. Without the switch (every other test) a call without a token is 401.
 */
@QuarkusTest
@TestProfile(SecurityOffTest.Off.class)
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class SecurityOffTest {

    /** Security switched off, as an operator would: one setting. */
    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cairn.security.enabled", "false");
        }
    }

    @Inject
    SecurityOffWarning warning;

    @Test
    void everyCallerIsAnAdminOfEveryDomainAndTheStartSaysSo() {
        String domain = "open-vm-" + UUID.randomUUID().toString().substring(0, 8);

        given().noFilters().get("/api/v1/domains/{domain}/checkpoints", domain).then().statusCode(200);
        // SECURE is refused to viewers (403 VIR_ERR_OPERATION_DENIED); here the lookup itself answers.
        given().noFilters().get("/api/v1/domains/{domain}/checkpoints/c1?flags=SECURE", domain).then()
                .statusCode(404).body("code", equalTo("VIR_ERR_NO_DOMAIN_CHECKPOINT"));
        assertThat(warning.warnings()).anySatisfy(w -> assertThat(w).startsWith("SECURITY IS OFF")
                .contains("cairn.security.enabled=false"));
    }
}
