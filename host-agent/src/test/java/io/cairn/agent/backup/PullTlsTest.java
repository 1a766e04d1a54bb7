package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.model.BackupServer;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pull backup served over TLS with certificates from the configured directory, read by a TLS NBD client. */
class PullTlsTest {

    private static final long MIB = 1024 * 1024;
    private static final PatternWrite DATA = new PatternWrite(0x42, 0, 4 * MIB);

    @Test
    void tlsExportIsReadableWithTheCaAndRefusedWithoutTls(@TempDir Path tempDir) throws IOException {
        Path certs = Files.createDirectories(tempDir.resolve("pki"));
        makeCertificates(certs);
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("tls").disk("vda", 16 * MIB, DATA).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()).withTlsDir(certs));
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            AgentResult started = rig.run(Requests.pull(rig, "tls", new BackupServer("tcp", "127.0.0.1", port, null, null, true),
                    List.of(Requests.full("vda", qemu.store("scratch.qcow2"))), List.of()));
            assertThat(started.success()).as("%s", started.error()).isTrue();
            BackupJobReport running = rig.sink.of("tls").stream().filter(r -> r.state() == BackupJobState.RUNNING)
                    .findFirst().orElseThrow();
            String uri = running.nbd().exports().get(0).uri();
            assertThat(uri).isEqualTo("nbds://127.0.0.1:" + port + "/vda");

            Path copy = qemu.file("copy.raw");
            Tools.run("nbdcopy", uri + "?tls-certificates=" + certs, copy.toString());
            assertThat(Tools.identical(copy, "raw", rig.expectedImage("want.qcow2", 16 * MIB, List.of(DATA)), "qcow2")).isTrue();
            assertThat(Tools.exec(List.of("nbdinfo", "nbd://127.0.0.1:" + port + "/vda")).exit())
                    .as("plain NBD is refused").isNotZero();

            assertThat(rig.run(Requests.abort(rig, "tls")).success()).isTrue();
            assertThat(rig.sink.awaitTerminal("tls", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            rig.assertQemuClean();
            assertThat(rig.connection().client().execute("qom-list", io.cairn.agent.qmp.QmpClient.arguments()
                    .put("path", "/objects")).await().atMost(AgentRig.WAIT).toString()).doesNotContain("cbk-tls");
        }
    }

    /** A throw-away CA and a server certificate for 127.0.0.1, named as QEMU's tls-creds-x509 expects. */
    private static void makeCertificates(Path dir) throws IOException {
        String d = dir.toString();
        Tools.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/ca-key.pem",
                "-out", d + "/ca-cert.pem", "-days", "1", "-subj", "/CN=cairn-test-ca");
        Tools.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/server-key.pem",
                "-out", d + "/server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Tools.run("openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca-cert.pem", "-CAkey",
                d + "/ca-key.pem", "-CAcreateserial", "-out", d + "/server-cert.pem", "-days", "1", "-extfile",
                d + "/ext.cnf");
    }
}
