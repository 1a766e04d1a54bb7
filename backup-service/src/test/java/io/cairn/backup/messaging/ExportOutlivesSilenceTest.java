package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An export outlives the restore silence bound as long as its agent serves it (its heartbeats are its reports), and
 * one whose agent is gone for good is failed by that bound, with one restore-completed: never "exported" with nothing
 * serving it. The bounds are seconds here (silence 6 s, a sweep every second, a heartbeat every 2 s).
 */
@QuarkusTest
@TestProfile(ExportOutlivesSilenceTest.ShortSilence.class)
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class ExportOutlivesSilenceTest {
    private static final Duration SILENCE = Duration.ofSeconds(6);

    /** A silence bound of seconds, swept every second. */
    public static class ShortSilence implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cairn.backup.restore-silence", SILENCE.toSeconds() + "s",
                    "cairn.backup.sweep-interval", "1s");
        }
    }

    private static RealAgentRig rig;
    private static GuestlessQemu qemu;

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemu() {
        rig = RealAgentRig.start("-Dcairn.restore.export-heartbeat=2s");
        qemu = rig.vm("quiet-vm", new DiskSpec("vda", 8L << 20, List.of(new PatternWrite(0x2a, 0, 1 << 20))));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aServingExportIsNotSilentAndALostOneIsFailed() throws Exception {
        TestJobs.endActiveJobsOnMadeUpHosts(database, "ExportOutlivesSilenceTest");
        awaitInventory(hosts, qemu);
        String checkpoint = "q1-" + UUID.randomUUID().toString().substring(0, 8);
        try (TopicProbe probe = probe()) {
            String backup = beginBackup(probe, qemu, "quiet-backup-", "<domainbackup/>",
                    "<domaincheckpoint><name>" + checkpoint + "</name></domaincheckpoint>");
            assertThat(rig.event(probe, backup, "backup-completed").get("success").asBoolean()).isTrue();

            String begin = "quiet-" + UUID.randomUUID();
            RealAgentRig.send(probe, qemu, RealAgentRig.command(qemu, begin, "restore.begin")
                    .put("checkpoint", checkpoint).put("mode", "export"));
            JsonNode exported = rig.event(probe, begin, "restore-exported");
            String restoreId = exported.get("restoreId").asText();
            Path socket = Path.of(exported.get("nbd").get("server").get("socket").asText());

            // Three silence bounds with a sweep every second: heartbeats keep it serving.
            await("still exported").during(SILENCE.multipliedBy(3)).atMost(SILENCE.multipliedBy(4))
                    .until(() -> "EXPORTED".equals(state(restoreId)));
            assertThat(socket).exists();

            // Its agent gone for good (killed, not restarted): failed by the silence bound, once.
            rig.agent().kill9();
            JsonNode failed = rig.event(probe, begin, "restore-completed");
            assertThat(failed.get("success").asBoolean()).isFalse();
            assertThat(failed.get("error").get("message").asText()).contains("was not heard of");
            assertThat(state(restoreId)).isEqualTo("FAILED");
            assertThat(probe.awaitCount(r -> r.value().contains(restoreId)
                    && r.value().contains("\"type\":\"restore-completed\""), 2, Duration.ofSeconds(3)))
                    .as("exactly one restore-completed").hasSize(1);
            // The killed agent's daemon still serves until an agent of that host comes back and stops it.
            rig.agent().restart();
            await().atMost(RealAgentRig.WAIT).until(() -> !Files.exists(socket));
        }
    }

    private static String state(String restoreId) {
        return given().get("/api/v1/restore/jobs/{id}", restoreId).then().statusCode(200).extract().jsonPath()
                .getString("state");
    }
}
