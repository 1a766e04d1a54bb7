package io.cairn.checkpoint.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
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
 * The REST path refuses what the Kafka path refuses, with the same libvirt error: misspelt body fields and query
 * parameters (which the framework would otherwise drop), oversized documents and reserved checkpoint names.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class RefusedAtTheEdgeRestTest {
    private final String domain = "edge-rest-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aMisspeltQueryParameterIsRefusedAndTheCheckpointKeepsItsBitmaps() {
        given().contentType(ContentType.XML).body(xml("keep")).post(base() + "?flags=REDEFINE").then().statusCode(200);

        given().delete(base() + "/keep?flag=METADATA_ONLY").then().statusCode(400)
                .body("code", equalTo("VIR_ERR_INVALID_ARG")).body("number", equalTo(8))
                .body("message", equalTo("unknown query parameter 'flag' (known: flags)"));
        given().contentType(ContentType.XML).body(xml("other")).post(base() + "?flag=REDEFINE").then().statusCode(400)
                .body("message", equalTo("unknown query parameter 'flag' (known: flags)"));
        given().get(base()).then().statusCode(200).body("checkpoint.name", contains("keep"));
    }

    @Test
    void aMisspeltFieldOfAJsonBodyIsRefused() {
        given().contentType(ContentType.JSON).body("{\"name\":\"c1\",\"creationTime\":1700000000,"
                + "\"disks\":[{\"name\":\"vda\",\"bitmap\":\"c1\",\"checkpiont\":\"no\"}]}")
                .post(base() + "?flags=REDEFINE").then().statusCode(400).body("code", equalTo("VIR_ERR_INVALID_ARG"))
                .body("message", startsWith("unknown field 'disks[0].checkpiont' in request body (known there: "));
        given().get(base()).then().statusCode(200).body("$", org.hamcrest.Matchers.hasSize(0));
    }

    @Test
    void oversizedDocumentsAndReservedNamesAreRefusedWithTheSameErrorAsOverKafka() {
        String large = "<domaincheckpoint><name>c1</name><description>"
                + "d".repeat(CommandLimits.MAX_CHECKPOINT_XML_BYTES) + "</description></domaincheckpoint>";

        given().contentType(ContentType.XML).body(large).post(base() + "?flags=REDEFINE").then().statusCode(400)
                .body("code", equalTo("VIR_ERR_INVALID_ARG")).body("message", equalTo("checkpointXml is "
                        + large.length() + " bytes, more than the limit of " + CommandLimits.MAX_CHECKPOINT_XML_BYTES
                        + " bytes"));
        given().contentType(ContentType.JSON).body("{\"name\":\"c1\",\"description\":\""
                + "d".repeat(CommandLimits.MAX_DESCRIPTION_BYTES + 1) + "\"}").post(base()).then().statusCode(400)
                .body("message", startsWith("checkpoint.description is " + (CommandLimits.MAX_DESCRIPTION_BYTES + 1)
                        + " bytes"));
        given().contentType(ContentType.XML).body(xml("backup-vda")).post(base() + "?flags=REDEFINE").then()
                .statusCode(400).body("code", equalTo("VIR_ERR_INVALID_ARG"))
                .body("message", startsWith("checkpointXml <name> 'backup-vda' is reserved"));
        given().get(base()).then().statusCode(200).body("$", org.hamcrest.Matchers.hasSize(0));
    }

    private String base() {
        return "/api/v1/domains/" + domain + "/checkpoints";
    }

    private static String xml(String name) {
        return "<domaincheckpoint><name>" + name + "</name><creationTime>1700000000</creationTime>"
                + "<disks><disk name='vda' checkpoint='bitmap' bitmap='" + name + "'/></disks></domaincheckpoint>";
    }
}
