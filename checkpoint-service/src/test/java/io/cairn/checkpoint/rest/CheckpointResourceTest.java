package io.cairn.checkpoint.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * libvirt's checkpoint API over HTTP against the real database: redefinitions build a tree, listings and lookups
 * follow libvirt's flags, XML comes back in libvirt's format, and errors carry libvirt's name, number and status.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class CheckpointResourceTest {
    private final String domain = "rest-vm-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aRedefinedTreeIsListedLookedUpAndFormattedLikeLibvirt() {
        redefine("c1", null, 1_700_000_001L);
        redefine("c2", "c1", 1_700_000_002L);
        redefine("c3", "c1", 1_700_000_003L);

        given().get(base() + "?flags=TOPOLOGICAL").then().statusCode(200)
                .body("checkpoint.name", contains("c1", "c2", "c3"));
        given().get(base() + "?flags=ROOTS").then().statusCode(200).body("checkpoint.name", contains("c1"));
        given().get(base() + "?flags=LEAVES").then().statusCode(200).body("checkpoint.name", contains("c2", "c3"));
        given().get(base() + "/c1/children").then().statusCode(200).body("checkpoint.name", hasSize(2));
        given().get(base() + "/c3/parent").then().statusCode(200).body("checkpoint.name", equalTo("c1"));
        given().get(base() + "/c2").then().statusCode(200).body("health", equalTo("active"));
        given().accept(ContentType.XML).get(base() + "/c2").then().statusCode(200)
                .body(containsString("<domaincheckpoint>\n  <name>c2</name>\n  <parent>\n    <name>c1</name>\n"))
                .body(containsString("<disk name='vda' checkpoint='bitmap' bitmap='c2'/>"));
    }

    @Test
    void libvirtErrorsBecomeHttpStatusesWithTheSameErrorBody() {
        redefine("root", null, 1_700_000_010L);

        given().get(base() + "/nosuch").then().statusCode(404)
                .body("code", equalTo("VIR_ERR_NO_DOMAIN_CHECKPOINT")).body("number", equalTo(103));
        given().get(base() + "/root/parent").then().statusCode(404)
                .body("code", equalTo("VIR_ERR_NO_DOMAIN_CHECKPOINT"));
        given().get(base() + "?flags=BOGUS").then().statusCode(400).body("code", equalTo("VIR_ERR_INVALID_ARG"));
        given().delete(base() + "/root?flags=CHILDREN,CHILDREN_ONLY,METADATA_ONLY").then().statusCode(400)
                .body("code", equalTo("VIR_ERR_INVALID_ARG")).body("number", equalTo(8));
        given().contentType(ContentType.XML).body("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                + "<domaincheckpoint><name>&e;</name></domaincheckpoint>")
                .post(base() + "?flags=REDEFINE").then().statusCode(400).body("code", equalTo("VIR_ERR_XML_ERROR"));
        given().get(base()).then().statusCode(200).body("checkpoint.name", contains("root"));
    }

    @Test
    void aRepeatedIdempotencyKeyHasOneEffect() {
        String key = "rest-key-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            given().header("Idempotency-Key", key).contentType(ContentType.XML)
                    .body(xml("once", null, 1_700_000_020L)).post(base() + "?flags=REDEFINE")
                    .then().statusCode(200).body("type", equalTo("checkpoint-created"));
        }
        given().delete(base() + "/once?flags=METADATA_ONLY").then().statusCode(200)
                .body("checkpoints", contains("once"));
        given().get("/api/v1/commands/" + key).then().statusCode(200).body("checkpoint.name", equalTo("once"));
        given().get(base()).then().statusCode(200).body("$", hasSize(0));
    }

    private String base() {
        return "/api/v1/domains/" + domain + "/checkpoints";
    }

    private void redefine(String name, String parent, long creationTime) {
        given().contentType(ContentType.XML).body(xml(name, parent, creationTime)).post(base() + "?flags=REDEFINE")
                .then().statusCode(200).body("checkpoint.name", equalTo(name));
    }

    private static String xml(String name, String parent, long creationTime) {
        return "<domaincheckpoint><name>" + name + "</name>"
                + (parent == null ? "" : "<parent><name>" + parent + "</name></parent>")
                + "<creationTime>" + creationTime + "</creationTime>"
                + "<disks><disk name='vda' checkpoint='bitmap' bitmap='" + name + "'/></disks></domaincheckpoint>";
    }
}
