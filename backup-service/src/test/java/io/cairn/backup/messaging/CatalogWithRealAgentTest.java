package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.backup.service.TestJobs;
import io.cairn.core.agent.HostDirectory;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog with every real part: three push backups (full, then two incrementals, each creating the next
 * checkpoint) through Kafka, backup-service, a real host-agent process and QEMU; the catalog lists each artifact with
 * the agent's checksum, which equals sha256sum of the target, and the last restore point's chain is the three files.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class CatalogWithRealAgentTest {
    private static RealAgentRig rig;
    private static GuestlessQemu qemu;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemu() {
        rig = RealAgentRig.start();
        qemu = rig.vm("cat-vm", new DiskSpec("vda", 16L << 20, List.of(new PatternWrite(0x3c, 0, 2 << 20))));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aFullAndTwoIncrementalsAreCatalogedWithTheAgentsChecksumsAndChained() throws Exception {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "CatalogWithRealAgentTest");
        awaitInventory(hosts, qemu);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> jobs = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        try (TopicProbe probe = probe()) {
            String previous = null;
            for (int i = 1; i <= 3; i++) {
                String checkpoint = "cat" + i + "-" + run;
                Path target = Path.of(qemu.disk("vda").image() + ".cat" + i + "-" + run);
                String incremental = previous == null ? "" : "<incremental>" + previous + "</incremental>";
                String begin = beginBackup(probe, qemu, "cat-", "<domainbackup>" + incremental
                        + "<disks><disk name='vda' type='file'><target file='" + target + "'/></disk></disks>"
                        + "</domainbackup>", "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
                JsonNode completed = rig.event(probe, begin, "backup-completed");
                assertThat(completed.get("success").asBoolean()).as(completed.toString()).isTrue();
                jobs.add(completed.get("jobId").asText());
                targets.add(target);
                previous = checkpoint;
            }
        }

        JsonPath artifacts = given().get("/api/v1/domains/{domain}/artifacts", qemu.domain()).then().statusCode(200)
                .extract().jsonPath();
        assertThat(artifacts.getList("jobId", String.class)).containsSubsequence(jobs);
        for (int i = 0; i < 3; i++) {
            String at = "find { it.jobId == '" + jobs.get(i) + "' }.";
            assertThat(artifacts.getString(at + "path")).isEqualTo(targets.get(i).toString());
            assertThat(artifacts.getString(at + "sha256")).as("the agent's checksum of %s", targets.get(i))
                    .isEqualTo(sha256sum(targets.get(i)));
            assertThat(artifacts.getLong(at + "size")).isEqualTo(Files.size(targets.get(i)));
            assertThat(artifacts.getString(at + "incrementalFrom"))
                    .isEqualTo(i == 0 ? null : "cat" + i + "-" + run);
        }

        given().get("/api/v1/domains/{domain}/restore-points/{checkpoint}", qemu.domain(), "cat3-" + run).then()
                .statusCode(200).body("complete", org.hamcrest.Matchers.equalTo(true))
                .body("disks[0].chain.jobId", org.hamcrest.Matchers.contains(jobs.toArray()));
    }

    private static String sha256sum(Path file) throws Exception {
        Process process = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.split(" ")[0];
    }
}
