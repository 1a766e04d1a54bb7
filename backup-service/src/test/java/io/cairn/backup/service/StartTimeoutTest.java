package io.cairn.backup.service;

import io.cairn.events.topic.AgentTopics;
import io.cairn.testing.stack.KafkaProvisioner;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.DiskInventory;
import io.cairn.events.agent.DomainInventory;
import io.cairn.events.agent.HostInventory;
import io.cairn.events.topic.Topics;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A backup whose start its host agent does not answer in time. Before, the job was marked failed and nothing else
 * happened: an agent that started it late left QEMU's job, export and scratch behind and kept the domain blocked.
 * Now the begin is answered with libvirt's timeout and an abort of that job follows the start on the agent's queue.
 */
@QuarkusTest
@TestProfile(StartTimeoutTest.ShortGatewayTimeout.class)
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class StartTimeoutTest {

    /** The agent is given 2 s to answer. */
    public static class ShortGatewayTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cairn.agent-gateway.timeout", "2s");
        }
    }

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @Test
    void aStartTheAgentDoesNotAnswerIsRejectedAndAbortedOnTheAgent() throws Exception {
        // Jobs other classes left on made-up hosts would hold the fleet's slots and keep this one queued.
        TestJobs.endActiveJobsOnMadeUpHosts(database, StartTimeoutTest.class.getSimpleName());
        String domain = "mute-vm-" + UUID.randomUUID().toString().substring(0, 8);
        String host = "host-mute-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProvisioner.onboardHost(LocalStack.ensureRunning().kafkaBootstrap(), host);
        hosts.remember(new HostInventory(host, Instant.now(), List.of(new DomainInventory(domain, "running",
                List.of(new DiskInventory("vda", "drive-vda", "/var/lib/cairn/" + domain + ".qcow2", "qcow2", 1 << 20,
                        false, List.of())), List.of()))));
        String commandId = "mute-" + UUID.randomUUID();
        try (TopicProbe probe = TopicProbe.watching(LocalStack.ensureRunning().kafkaBootstrap(),
                AgentTopics.commands(host), Topics.BACKUP_EVENTS)) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", commandId)
                    .body("{\"backupXml\":\"<domainbackup mode='push'/>\",\"checkpointXml\":\"<domaincheckpoint>"
                            + "<name>late1</name></domaincheckpoint>\"}")
                    .post("/api/v1/domains/{domain}/backup", domain).then()
                    .statusCode(org.hamcrest.Matchers.oneOf(202, 504));

            List<ConsumerRecord<String, String>> toAgent = probe.awaitCount(r -> r.topic()
                    .equals(AgentTopics.commands(host)) && r.key().equals(domain), 3, Duration.ofSeconds(30));
            assertThat(toAgent).as("the start, the abort of the same job, the removal of its new bitmaps").hasSize(3);
            assertThat(toAgent.get(0).value()).contains("\"type\":\"backup.start\"");
            assertThat(toAgent.get(1).value()).contains("\"type\":\"backup.abort\"").contains("/start-timeout");
            // The start may only begin within the caller's wait (2 s here, two thirds of it at most); the undo
            // work that follows carries no deadline: it must run whenever the agent gets to it.
            Instant startBy = Instant.parse(new String(toAgent.get(0).headers().lastHeader(
                    AgentRequest.START_BY_HEADER).value(), StandardCharsets.UTF_8));
            assertThat(Duration.between(Instant.ofEpochMilli(toAgent.get(0).timestamp()), startBy))
                    .isPositive().isLessThanOrEqualTo(Duration.ofMillis(1400));
            assertThat(toAgent.get(1).headers().lastHeader(AgentRequest.START_BY_HEADER)).isNull();
            assertThat(toAgent.get(2).headers().lastHeader(AgentRequest.START_BY_HEADER)).isNull();
            String jobId = toAgent.get(0).value().replaceAll(".*\"jobId\":\"([^\"]+)\".*", "$1");
            assertThat(toAgent.get(1).value()).contains("\"jobId\":\"" + jobId + "\"");
            assertThat(toAgent.get(2).value()).contains("\"type\":\"bitmaps.remove\"").contains("late1")
                    .contains("\"ignoreMissing\":true");
            assertThat(probe.await(r -> r.topic().equals(Topics.BACKUP_EVENTS)
                    && r.value().contains("\"commandId\":\"" + commandId + "\""), Duration.ofSeconds(10)))
                    .get().extracting(ConsumerRecord::value).asString().contains("VIR_ERR_OPERATION_TIMEOUT");
        }
    }
}
