package io.cairn.backup.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.cairn.events.command.CommandLimits;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST .../backup refuses what the framework's lenient reading would drop (a misspelt body field, flags given as a
 * query parameter), a body over the command limit and a reserved export bitmap, with libvirt's VIR_ERR_INVALID_ARG.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class RefusedAtTheEdgeRestTest {
    private final String domain = "edge-rest-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void whatTheFrameworkWouldDropIsRefused() {
        given().contentType(ContentType.JSON).body("{\"backupXml\":\"<domainbackup/>\",\"flag\":[\"REUSE_EXTERNAL\"]}")
                .post(path()).then().statusCode(400).body("code", equalTo("VIR_ERR_INVALID_ARG"))
                .body("number", equalTo(8)).body("message", equalTo("unknown field 'flag' in request body "
                        + "(known there: backup, backupXml, checkpoint, checkpointXml, flags)"));
        given().contentType(ContentType.JSON).body("{\"backup\":{\"mode\":\"push\",\"disks\":[{\"name\":\"vda\","
                + "\"target\":{\"path\":\"/b/vda.qcow2\"}}]}}").post(path()).then().statusCode(400)
                .body("message", startsWith("unknown field 'backup.disks[0].target' in request body"));
        given().contentType(ContentType.JSON).body("{\"backupXml\":\"<domainbackup/>\"}")
                .post(path() + "?flags=REUSE_EXTERNAL").then().statusCode(400)
                .body("message", equalTo("unknown query parameter 'flags' (there are none)"));
        given().get(path() + "/jobs").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void anOversizedBodyAndAReservedExportBitmapAreRefused() {
        String body = "{\"backupXml\":\"<domainbackup/>\",\"checkpoint\":{\"description\":\""
                + "d".repeat(CommandLimits.MAX_COMMAND_BYTES) + "\"}}";

        given().contentType(ContentType.JSON).body(body).post(path()).then().statusCode(400)
                .body("code", equalTo("VIR_ERR_INVALID_ARG")).body("message", equalTo("request body is "
                        + body.length() + " bytes, more than the limit of " + CommandLimits.MAX_COMMAND_BYTES
                        + " bytes"));
        given().contentType(ContentType.JSON).body("{\"backup\":{\"mode\":\"pull\",\"server\":{\"name\":\"localhost\","
                + "\"port\":10809},\"disks\":[{\"name\":\"vda\",\"exportbitmap\":\"backup-vdb\"}]}}").post(path())
                .then().statusCode(400).body("code", equalTo("VIR_ERR_INVALID_ARG"))
                .body("message", startsWith("disk vda: exportbitmap 'backup-vdb' is reserved"));
    }

    private String path() {
        return "/api/v1/domains/" + domain + "/backup";
    }
}
