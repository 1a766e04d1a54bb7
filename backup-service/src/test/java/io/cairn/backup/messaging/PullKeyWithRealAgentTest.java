package io.cairn.backup.messaging;

import static io.cairn.backup.messaging.RealAgentRig.awaitInventory;
import static io.cairn.backup.messaging.RealAgentRig.beginBackup;
import static io.cairn.backup.messaging.RealAgentRig.command;
import static io.cairn.backup.messaging.RealAgentRig.probe;
import static io.cairn.backup.messaging.RealAgentRig.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.cairn.core.agent.HostDirectory;
import io.cairn.events.json.CairnJson;
import io.cairn.testing.kafka.TopicProbe;
import io.cairn.testing.qemu.DiskSpec;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuImg;
import io.cairn.testing.security.LocalIssuer;
import io.cairn.testing.stack.LocalStack;
import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TCP pull's key reaches exactly the principals allowed to act on the domain, through the real parts (Kafka,
 * backup-service, a host-agent process, QEMU, libnbd): in backup-started on the ACL'd events topic, in the job's REST
 * view and the begin's outcome for an operator, never for a viewer; with it nbdcopy reads the disk, without it not.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class PullKeyWithRealAgentTest {
    private static final long MIB = 1L << 20;
    private static final long DISK_SIZE = 16 * MIB;
    private static final List<PatternWrite> INITIAL = List.of(new PatternWrite(0x6b, 2 * MIB, MIB));
    private static final Duration HOUR = Duration.ofHours(1);

    private static RealAgentRig rig;
    private static GuestlessQemu vm;
    private final LocalIssuer issuer = LocalStack.issuer();

    @Inject
    HostDirectory hosts;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startAgentAndQemu() {
        rig = RealAgentRig.start();
        vm = rig.vm("pk", new DiskSpec("vda", DISK_SIZE, INITIAL));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void theKeyGoesToOperatorsAndTheEventsTopicAndOpensTheExport() throws Exception {
        rig.endJobsOnOtherHosts(database, PullKeyWithRealAgentTest.class);
        awaitInventory(hosts, vm);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String operator = issuer.token("olga", "operator", List.of(vm.domain()), HOUR);
        String viewer = issuer.token("vera", "viewer", List.of(vm.domain()), HOUR);
        try (TopicProbe probe = probe()) {
            String begin = beginBackup(probe, vm, "pull-key-", "<domainbackup mode='pull'><server name='127.0.0.1' port='"
                    + port + "'/></domainbackup>");
            JsonNode started = rig.event(probe, begin, "backup-started");
            JsonNode nbd = started.path("nbd");
            String key = nbd.at("/psk/key").asText();
            assertThat(key).as(started.toString()).matches("[0-9a-f]{64}");
            assertThat(nbd.at("/psk/username").asText()).isEqualTo("cairn");
            String uri = nbd.at("/exports/0/uri").asText();
            assertThat(uri).isEqualTo("nbds://cairn@127.0.0.1:" + port + "/vda");
            String jobId = started.path("jobId").asText();

            // REST: the operator's view and the begin's outcome carry the key, the viewer's only that one is needed.
            JsonNode operatorView = get(operator, "/api/v1/backup/jobs/" + jobId);
            assertThat(operatorView.at("/nbd/psk/key").asText()).isEqualTo(key);
            assertThat(operatorView.at("/nbd/exports/0/uri").asText()).isEqualTo(uri);
            JsonNode viewerView = get(viewer, "/api/v1/backup/jobs/" + jobId);
            assertThat(viewerView.at("/nbd/psk/username").asText()).isEqualTo("cairn");
            assertThat(viewerView.toString()).doesNotContain(key);
            assertThat(get(operator, "/api/v1/commands/" + begin).at("/nbd/psk/key").asText()).isEqualTo(key);
            assertThat(get(viewer, "/api/v1/commands/" + begin).toString()).contains(uri).doesNotContain(key);

            // The user's side, as the README says.
            Path keyFile = vm.file("mine.psk");
            Files.writeString(keyFile, "cairn:" + key + "\n");
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            assertThat(NbdReader.served(uri)).as("without the key").isFalse();
            assertThat(NbdReader.served("nbd://127.0.0.1:" + port + "/vda")).as("plain NBD").isFalse();
            Path copy = vm.file("pulled.raw");
            NbdReader.copy(uri + "?tls-psk-file=" + keyFile, copy);
            Path expected = vm.file("expected.qcow2");
            QemuImg.createQcow2(expected, DISK_SIZE, vm.logFile());
            QemuImg.writePatterns(expected, INITIAL, vm.logFile());
            assertThat(NbdReader.identical(copy, expected)).as("nbdcopy with the key reads the disk").isTrue();

            send(probe, vm, command(vm, "abort-" + UUID.randomUUID(), "backup.abort"));
            assertThat(rig.event(probe, begin, "backup-completed").path("success").asBoolean()).isTrue();
            assertThat(get(operator, "/api/v1/backup/jobs/" + jobId).has("nbd")).as("an ended job's view").isFalse();
            Path keys = rig.agent().storageDir().resolveSibling("state").resolve("nbd-psk");
            assertThat(Files.exists(keys.resolve(jobId))).as("the agent's key directory of the job").isFalse();
            assertThat(NbdReader.served(uri + "?tls-psk-file=" + keyFile)).as("after the end").isFalse();
        }
    }

    private static JsonNode get(String token, String path) throws Exception {
        String body = given().header("Authorization", "Bearer " + token).get(path).then().statusCode(200)
                .extract().asString();
        return CairnJson.mapper().readTree(body);
    }
}
