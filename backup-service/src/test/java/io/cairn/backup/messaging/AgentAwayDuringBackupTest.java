package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.WAIT;
import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.core.agent.HostDirectory;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuDisk;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.qemu.QmpProbe;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host agent is killed mid-backup and stays away longer than the job's silence bound while QEMU finishes the
 * copy. Before, Cairn published backup-completed "failed" after the silence bound although QEMU's job concluded
 * fine; now a job whose agent is not alive waits for it, and the agent that comes back adopts QEMU's concluded job
 * and reports QEMU's verdict: one backup-completed, success, the target equal to the disk.
 */
@QuarkusTest
@TestProfile(AgentAwayDuringBackupTest.ShortBounds.class)
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class AgentAwayDuringBackupTest {
    private static final long MIB = 1L << 20;

    /** Silence and liveness bounds of seconds, so the test outlasts them in seconds too. */
    public static class ShortBounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cairn.backup.agent-silence", "6s", "cairn.backup.agent-alive", "3s",
                    "cairn.backup.sweep-interval", "1s");
        }
    }

    private static RealAgentRig rig;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgent() {
        rig = RealAgentRig.start("-Dcairn.agent.job-speed=" + MIB, "-Dcairn.messaging.inventory-interval=1s");
    }

    @BeforeEach
    void endJobsLeftByOtherTests() throws Exception {
        rig.endJobsOnOtherHosts(database, AgentAwayDuringBackupTest.class);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void qemusVerdictWinsWhenTheAgentComesBackAfterTheSilenceBound() throws Exception {
        GuestlessQemu vm = rig.vm("away", new DiskSpec("vda", 16 * MIB, List.of(new PatternWrite(0x6d, 0, 16 * MIB))));
        QemuDisk vda = vm.disk("vda");
        awaitInventory(hosts, vm);
        try (TopicProbe probe = probe(); QmpProbe qmp = QmpProbe.connect(vm)) {
            String begin = beginBackup(probe, vm, "away-", "<domainbackup mode='push'/>",
                    "<domaincheckpoint><name>c1</name></domaincheckpoint>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            String jobId = started.get("jobId").asText();
            Path target = Path.of(started.at("/disks/0/store/path").asText());
            rig.agent().kill9();
            for (JsonNode job : qmp.jobs()) {
                qmp.execute("block-job-set-speed", QmpProbe.arguments().put("device", job.path("id").asText())
                        .put("speed", 0));
            }
            await().atMost(WAIT).until(() -> qmp.jobs().stream()
                    .allMatch(job -> "concluded".equals(job.path("status").asText())));

            // Twice the silence bound with no agent: the job is still QEMU's to judge, checked throughout.
            await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        RestAssured.given().get("/api/v1/backup/jobs/{id}", jobId).then().statusCode(200)
                                .body("state", Matchers.equalTo("RUNNING"));
                        assertThat(probe.seen(r -> r.value().contains("\"jobId\":\"" + jobId + "\"")
                                && r.value().contains("backup-completed"))).as("no verdict while the agent is away")
                                .isEmpty();
                    });

            rig.agent().restart();
            JsonNode completed = rig.event(probe, begin, "backup-completed");
            assertThat(completed.get("status").asText()).as(completed.toString()).isEqualTo("completed");
            assertThat(completed.get("success").asBoolean()).isTrue();
            assertThat(rig.agent().log()).contains("adopted job");
            RealAgentRig.assertExactlyOneCompleted(probe, begin, Duration.ofSeconds(3));
            assertThat(QemuImg.identical(vda.image(), target, vm.logFile())).as("qemu-img compare of %s", target)
                    .isTrue();
        }
    }
}
