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
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.qemu.QmpProbe;
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
 * Each incremental names the previous artifact as its backing file (the service looked it up and told the agent),
 * so {@code qemu-img convert} of the last one alone gives the disk at its checkpoint although the guest wrote since.
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
        qemu = rig.vm("cat-vm", new DiskSpec("vda", 16L << 20, INITIAL));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static final List<PatternWrite> INITIAL = List.of(new PatternWrite(0x3c, 0, 2 << 20));
    /** Before backup 2, before backup 3, and after the last backup. */
    private static final List<PatternWrite> WRITES = List.of(new PatternWrite(0x51, 4 << 20, 64 << 10),
            new PatternWrite(0x52, 8 << 20, 64 << 10), new PatternWrite(0x53, 0, 1 << 20));

    @Test
    void aFullAndTwoIncrementalsAreCatalogedWithTheAgentsChecksumsAndChained() throws Exception {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "CatalogWithRealAgentTest");
        awaitInventory(hosts, qemu);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> jobs = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(qemu)) {
            String previous = null;
            for (int i = 1; i <= 3; i++) {
                if (i > 1) {
                    guestWrite(qmp, WRITES.get(i - 2));
                }
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
            guestWrite(qmp, WRITES.get(2));
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

        for (int i = 1; i < 3; i++) {
            assertThat(run("qemu-img", "info", "-U", "--output=json", targets.get(i).toString()))
                    .as("incremental %d names the artifact before it, not the live disk", i)
                    .contains("\"backing-filename\": \"" + targets.get(i - 1) + "\"");
        }
        Path alone = qemu.file("cat3-alone-" + run + ".qcow2");
        run("qemu-img", "convert", "-O", "qcow2", targets.get(2).toString(), alone.toString());
        Path atCat3 = qemu.file("want-cat3-" + run + ".qcow2");
        QemuImg.createQcow2(atCat3, 16L << 20, qemu.logFile());
        List<PatternWrite> upToCat3 = new ArrayList<>(INITIAL);
        upToCat3.addAll(WRITES.subList(0, 2));
        QemuImg.writePatterns(atCat3, upToCat3, qemu.logFile());
        assertThat(QemuImg.identical(alone, atCat3, qemu.logFile()))
                .as("qemu-img convert of the last incremental gives the disk at its checkpoint").isTrue();
        Path today = qemu.file("today-" + run + ".qcow2");
        QemuImg.createQcow2(today, 16L << 20, qemu.logFile());
        List<PatternWrite> all = new ArrayList<>(INITIAL);
        all.addAll(WRITES);
        QemuImg.writePatterns(today, all, qemu.logFile());
        assertThat(QemuImg.identical(alone, today, qemu.logFile())).as("never today's disk").isFalse();
    }

    private static void guestWrite(QmpProbe qmp, PatternWrite write) throws Exception {
        String reply = qmp.execute("human-monitor-command", QmpProbe.arguments().put("command-line", "qemu-io -d "
                + qemu.disk("vda").qemuIoBackend() + " \"" + write.qemuIoCommand() + "\"")).asText();
        assertThat(reply).isEmpty();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
        return output;
    }

    private static String sha256sum(Path file) throws Exception {
        Process process = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.split(" ")[0];
    }
}
