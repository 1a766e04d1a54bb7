package io.cairn.checkpoint.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A redefined checkpoint's domain may hold secrets (a VNC password): they are kept, shown in XML only with libvirt's
 * SECURE flag to a caller who may see them, and never in JSON views or in events, which anyone reading the topic gets.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class DomainSecretsTest {
    private static final String SECRET = "s3cret-vnc-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void secretsStayOutOfJsonAndEventsAndNeedSecureToBeShown() throws Exception {
        String domain = "secret-vm-" + UUID.randomUUID().toString().substring(0, 8);
        String commandId = "secret-" + UUID.randomUUID();
        String xml = "<domaincheckpoint><name>c1</name><creationTime>1700000000</creationTime><disks><disk name='vda' "
                + "checkpoint='bitmap' bitmap='c1'/></disks><domain type='kvm'><name>" + domain + "</name><devices>"
                + "<disk type='file' device='disk'><source file='/images/vda.qcow2'/><target dev='vda'/></disk>"
                + "<graphics type='vnc' port='5900' passwd='" + SECRET + "'/></devices></domain></domaincheckpoint>";
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                Topics.CHECKPOINT_EVENTS)) {
            given().contentType(ContentType.XML).header("Idempotency-Key", commandId).body(xml)
                    .post("/api/v1/domains/{domain}/checkpoints?flags=REDEFINE", domain).then().statusCode(200)
                    .body("type", equalTo("checkpoint-created")).body(not(containsString(SECRET)));
            ConsumerRecord<String, String> created = probe.await(r -> r.value().contains(commandId),
                    Duration.ofSeconds(30)).orElseThrow();
            assertThat(created.value()).contains("graphics").doesNotContain(SECRET).doesNotContain("passwd");
        }
        given().get("/api/v1/domains/{domain}/checkpoints/c1", domain).then().statusCode(200)
                .body(containsString("graphics")).body(not(containsString(SECRET)));
        given().accept(ContentType.XML).get("/api/v1/domains/{domain}/checkpoints/c1", domain).then()
                .statusCode(200).body(not(containsString(SECRET)));
        given().accept(ContentType.XML).get("/api/v1/domains/{domain}/checkpoints/c1?flags=SECURE", domain).then()
                .statusCode(200).body(containsString("passwd='" + SECRET + "'"));
        String viewer = LocalStack.issuer().token("vera", "viewer", List.of(domain), Duration.ofHours(1));
        given().header("Authorization", "Bearer " + viewer).accept(ContentType.XML)
                .get("/api/v1/domains/{domain}/checkpoints/c1?flags=SECURE", domain).then().statusCode(403)
                .body("code", equalTo("VIR_ERR_OPERATION_DENIED"));
    }
}
