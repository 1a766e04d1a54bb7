package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.backup.TestAgentConfig.TestNbd;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdPsk;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TCP pull export is readable only with the job's key: QEMU's tls-creds-psk from a private per-job file, refused to
 * plain, keyless and wrong-key clients, read bit for bit by nbdcopy and qemu-img with it; connections capped; the key
 * and QEMU's object gone on every way the job ends; wildcard binds refused. Real QEMU and libnbd, nothing mocked.
 */
class PullPskTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 16 * MIB;
    private static final PatternWrite DATA = new PatternWrite(0x5a, MIB, 3 * MIB);
    /** NBD's newstyle greeting, sent in the clear before any TLS: "NBDMAGIC" then "IHAVEOPT". */
    private static final byte[] GREETING = "NBDMAGICIHAVEOPT".getBytes(StandardCharsets.US_ASCII);

    @Test
    void onlyAClientWithTheJobsKeyReadsTheExport(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("psk").disk("vda", SIZE, DATA).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            int port = freePort();
            AgentResult started = rig.run(Requests.pull(rig, "psk-1", tcp(port), List.of(full(qemu, "vda")), List.of()));
            assertThat(started.success()).as("%s", started.error()).isTrue();

            NbdEndpoint nbd = running(rig, "psk-1").nbd();
            NbdPsk psk = nbd.psk();
            assertThat(psk.username()).isEqualTo("cairn");
            assertThat(psk.key()).matches("[0-9a-f]{64}");
            String uri = nbd.exports().get(0).uri();
            assertThat(uri).isEqualTo("nbds://cairn@127.0.0.1:" + port + "/vda");
            Path keyFile = AgentRig.pskRoot(qemu).resolve("psk-1").resolve("keys.psk");
            assertThat(Files.readString(keyFile)).isEqualTo(psk.fileLine() + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())))
                    .isEqualTo("rwx------");
            assertThat(objects(rig)).contains("cbk-tls-").contains("tls-creds-psk");
            assertThat(keyFile.resolveSibling("dh-params.pem")).as("so QEMU does not generate DH parameters per job")
                    .exists();

            // The user's side, as the README says: the key line in a file of one's own, named in the URI.
            Path mine = writeKey(qemu.file("mine.psk"), psk.fileLine());
            Path wrong = writeKey(qemu.file("wrong.psk"), "cairn:" + "00".repeat(32));
            assertThat(Tools.exec(List.of("nbdinfo", "nbd://127.0.0.1:" + port + "/vda")).exit())
                    .as("plain NBD").isNotZero();
            assertThat(Tools.exec(List.of("nbdinfo", uri)).exit()).as("TLS without a key").isNotZero();
            assertThat(Tools.exec(List.of("nbdinfo", uri + "?tls-psk-file=" + wrong)).exit()).as("a wrong key").isNotZero();
            assertThat(Tools.exec(List.of("nbdinfo", "nbds://intruder@127.0.0.1:" + port + "/vda?tls-psk-file="
                    + writeKey(qemu.file("other.psk"), "intruder:" + psk.key()))).exit()).as("another user name").isNotZero();

            Path copy = qemu.file("copy.raw");
            Tools.run("nbdcopy", uri + "?tls-psk-file=" + mine, copy.toString());
            assertThat(Tools.identical(copy, "raw", rig.expectedImage("want.qcow2", SIZE, List.of(DATA)), "qcow2"))
                    .as("nbdcopy with the key reads the disk").isTrue();
            Path qemuClientDir = Files.createDirectories(qemu.file("client-psk"));
            writeKey(qemuClientDir.resolve("keys.psk"), psk.fileLine());
            assertThat(Tools.run("qemu-img", "info", "--output=json", "--object",
                    "tls-creds-psk,id=tls0,endpoint=client,dir=" + qemuClientDir + ",username=cairn", "--image-opts",
                    "driver=nbd,server.type=inet,server.host=127.0.0.1,server.port=" + port + ",export=vda,tls-creds=tls0"))
                    .as("QEMU's own NBD client with the key").contains("\"virtual-size\": " + SIZE);

            assertThat(rig.run(Requests.abort(rig, "psk-1")).success()).isTrue();
            BackupJobReport end = rig.sink.awaitTerminal("psk-1", AgentRig.WAIT);
            assertThat(end.state()).isEqualTo(BackupJobState.COMPLETED);
            assertThat(end.nbd()).as("an ended job's report repeats no key").isNull();
            assertThat(keyFile.getParent()).doesNotExist();
            assertThat(objects(rig)).doesNotContain("cbk-tls-");
            assertThat(Tools.exec(List.of("nbdinfo", uri + "?tls-psk-file=" + mine)).exit()).as("after the end").isNotZero();
            rig.assertQemuClean();
        }
    }

    @Test
    void clientsBeyondMaxConnectionsAreNotServedUntilOneLeaves(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("cap").disk("vda", SIZE).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot())
                    .withNbd(new TestNbd(2, false, false)));
            int port = freePort();
            assertThat(rig.run(Requests.pull(rig, "cap-1", tcp(port), List.of(full(qemu, "vda")), List.of())).success())
                    .isTrue();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    clients.add(connect(port));
                    assertThat(greeting(clients.get(i), 10_000)).as("client %d is served", i + 1).isTrue();
                }
                Socket third = connect(port);
                clients.add(third);
                // QEMU stops accepting at the cap: the kernel queues the connection, the NBD server never answers it.
                assertThat(greeting(third, 1_500)).as("the third of max-connections=2 is not served").isFalse();
                clients.get(0).close();
                assertThat(greeting(third, 10_000)).as("served once a slot frees").isTrue();
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
            assertThat(rig.run(Requests.abort(rig, "cap-1")).success()).isTrue();
            rig.sink.awaitTerminal("cap-1", AgentRig.WAIT);
            rig.assertQemuClean();
        }
    }

    @Test
    void aWildcardBindIsRefusedBeforeAnythingIsMade(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("wild").disk("vda", SIZE).start()) {
            // Listed by the operator, but not allowed as a wildcard: still refused.
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot())
                    .withNbdBindAddresses(List.of("127.0.0.1", "0.0.0.0", "::")));
            for (String wildcard : List.of("0.0.0.0", "::")) {
                AgentResult refused = rig.run(Requests.pull(rig, "wild-1", new BackupServer("tcp", wildcard, freePort(),
                        null, null, null), List.of(full(qemu, "vda")), List.of()));
                assertThat(refused.success()).isFalse();
                assertThat(refused.error().code()).isEqualTo("VIR_ERR_INVALID_ARG");
                assertThat(refused.error().message()).contains("binds every interface");
            }
            assertThat(rig.sink.of("wild-1")).isEmpty();
            assertThat(AgentRig.pskRoot(qemu).resolve("wild-1")).doesNotExist();
            assertThat(qemu.store("scratch-vda.qcow2")).doesNotExist();
            rig.assertQemuClean();
        }
    }

    @Test
    void plainTcpOnlyWhenTheAgentAllowsIt(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("plain").disk("vda", SIZE, DATA).start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot())
                    .withNbd(new TestNbd(4, true, false)));
            int port = freePort();
            assertThat(rig.run(Requests.pull(rig, "plain-1", tcp(port), List.of(full(qemu, "vda")), List.of())).success())
                    .isTrue();
            NbdEndpoint nbd = running(rig, "plain-1").nbd();
            assertThat(nbd.psk()).isNull();
            assertThat(nbd.exports().get(0).uri()).isEqualTo("nbd://127.0.0.1:" + port + "/vda");
            Path copy = qemu.file("copy.raw");
            Tools.run("nbdcopy", nbd.exports().get(0).uri(), copy.toString());
            assertThat(Tools.identical(copy, "raw", rig.expectedImage("want.qcow2", SIZE, List.of(DATA)), "qcow2")).isTrue();
            assertThat(rig.run(Requests.abort(rig, "plain-1")).success()).isTrue();
            rig.sink.awaitTerminal("plain-1", AgentRig.WAIT);
            assertThat(AgentRig.pskRoot(qemu).resolve("plain-1")).doesNotExist();
            rig.assertQemuClean();
        }
    }

    @Test
    void aStartThatFailsAfterTheKeyWasMadeRemovesIt(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("pskfail").disk("vda", SIZE).disk("vdb", SIZE)
                .start()) {
            AgentRig rig = new AgentRig(qemu, TestAgentConfig.of(qemu.workDir(), qemu.storageRoot()));
            // Both disks ask for the same export name: QEMU refuses the second export, after the key and the server.
            List<BackupDisk> disks = List.of(
                    new BackupDisk("vda", null, DiskBackupMode.FULL, null, "same", null,
                            Requests.store(qemu.store("a.qcow2")), null),
                    new BackupDisk("vdb", null, DiskBackupMode.FULL, null, "same", null,
                            Requests.store(qemu.store("b.qcow2")), null));
            AgentResult result = rig.run(Requests.pull(rig, "fail-1", tcp(freePort()), disks, List.of()));
            assertThat(result.success()).isFalse();
            assertThat(rig.sink.awaitTerminal("fail-1", AgentRig.WAIT).state()).isEqualTo(BackupJobState.FAILED);
            assertThat(AgentRig.pskRoot(qemu).resolve("fail-1")).doesNotExist();
            assertThat(objects(rig)).doesNotContain("cbk-tls-");
            rig.assertQemuClean();
        }
    }

    @Test
    void anAdoptedJobKeepsItsKeyUntilItEndsAndLeftoverKeysAreSwept(@TempDir Path tempDir) throws IOException {
        try (GuestlessQemu qemu = GuestlessQemu.builder(tempDir).domain("adopt").disk("vda", SIZE, DATA).start()) {
            TestAgentConfig config = TestAgentConfig.of(qemu.workDir(), qemu.storageRoot());
            AgentRig before = new AgentRig(qemu, config);
            int port = freePort();
            assertThat(before.run(Requests.pull(before, "kept", tcp(port), List.of(full(qemu, "vda")), List.of()))
                    .success()).isTrue();
            NbdPsk psk = running(before, "kept").nbd().psk();
            before.backups.detachAll();
            before.registry.closeAll();

            // What a killed agent left: the key of a job whose start never reached QEMU, and a TLS object without job.
            AgentRig after = new AgentRig(qemu, config);
            after.backups.pskFiles().create("ghost", "adopt");
            after.backups.pskFiles().create("ghost-of-a-gone-vm", "no-such-domain");
            after.connection().client().execute("object-add", QmpClient.arguments().put("qom-type", "tls-creds-psk")
                    .put("id", BackupNames.tlsObjectId("ghost")).put("endpoint", "server")
                    .put("dir", after.backups.pskFiles().dirOf("ghost").toString())).await().atMost(AgentRig.WAIT);

            List<String> done = new Reconciler(after.registry, after.operations, after.backups).reconcileAll()
                    .await().atMost(AgentRig.WAIT);
            assertThat(done).anyMatch(line -> line.contains("adopted job kept"))
                    .anyMatch(line -> line.contains("deleted NBD key of job ghost,"))
                    .anyMatch(line -> line.contains("deleted NBD key of job ghost-of-a-gone-vm"))
                    .anyMatch(line -> line.contains("removed TLS object " + BackupNames.tlsObjectId("ghost")));
            assertThat(after.backups.pskFiles().all()).extracting(NbdPskFiles.Entry::jobId).containsExactly("kept");
            assertThat(objects(after)).contains(BackupNames.tlsObjectId("kept"))
                    .doesNotContain(BackupNames.tlsObjectId("ghost"));

            String uri = "nbds://cairn@127.0.0.1:" + port + "/vda?tls-psk-file=" + writeKey(qemu.file("mine.psk"),
                    psk.fileLine());
            Path copy = qemu.file("copy.raw");
            Tools.run("nbdcopy", uri, copy.toString());
            assertThat(Tools.identical(copy, "raw", after.expectedImage("want.qcow2", SIZE, List.of(DATA)), "qcow2"))
                    .as("the adopted export still opens with the job's key").isTrue();

            assertThat(after.run(Requests.abort(after, "kept")).success()).isTrue();
            assertThat(after.sink.awaitTerminal("kept", AgentRig.WAIT).state()).isEqualTo(BackupJobState.COMPLETED);
            await().atMost(AgentRig.WAIT).until(() -> after.backups.pskFiles().all().isEmpty());
            assertThat(objects(after)).doesNotContain("cbk-tls-");
            after.assertQemuClean();
        }
    }

    private static BackupServer tcp(int port) {
        return new BackupServer("tcp", "127.0.0.1", port, null, null, null);
    }

    private static BackupDisk full(GuestlessQemu qemu, String disk) {
        return Requests.full(disk, qemu.store("scratch-" + disk + ".qcow2"));
    }

    private static BackupJobReport running(AgentRig rig, String jobId) {
        return rig.sink.of(jobId).stream().filter(report -> report.state() == BackupJobState.RUNNING).findFirst()
                .orElseThrow();
    }

    private static String objects(AgentRig rig) {
        return rig.connection().client().execute("qom-list", QmpClient.arguments().put("path", "/objects"))
                .await().atMost(AgentRig.WAIT).toString();
    }

    private static Path writeKey(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return socket;
    }

    /** Whether the NBD server greets this connection within the time; a read timeout is the answer "no". */
    private static boolean greeting(Socket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        byte[] got = new byte[GREETING.length];
        try {
            int read = 0;
            while (read < got.length) {
                int n = in.read(got, read, got.length - read);
                if (n < 0) {
                    return false;
                }
                read += n;
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
        return java.util.Arrays.equals(got, GREETING);
    }
}
