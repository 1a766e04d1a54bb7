package io.cairn.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.backup.Tools;
import io.cairn.agent.restore.RestoreChains.Chain;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StorePath;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore point exported by a real qemu-storage-daemon reads, over NBD with TLS-PSK, exactly as its chain stacked
 * explicitly, whatever the artifacts' headers say; clients without the key and writes are refused; several disks share
 * one daemon. Real qemu-img, qemu-io, qemu-storage-daemon, nbdcopy and nbdinfo, nothing mocked.
 */
class ChainExportTest {

    private static final long SIZE = 64 * RestoreChains.MIB;

    @TempDir
    Path dir;
    /** The domain's storage directory, where its backups wrote the artifacts. */
    private Path domainDir;
    private StoragePolicy policy;
    private ChainExports exports;
    private StorePath socket;

    @BeforeEach
    void agent() throws IOException {
        domainDir = Files.createDirectories(dir.resolve("storage/dom"));
        policy = new StoragePolicy(List.of(dir.resolve("storage")));
        exports = new ChainExports(dir.resolve("state"), policy);
        socket = RestoreChains.socket(dir.resolve("storage"), "dom", "restore.sock");
    }

    @AfterEach
    void stopEverything() {
        exports.closeAll();
    }

    @Test
    void readsAsTheExplicitChainNotAsTheHeadersSay() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        Path inc1 = chain.links().get(1).path();
        Path inc2 = chain.links().get(2).path();
        assertThat(Tools.identical(inc2, "qcow2", chain.expected(), "raw"))
                .as("inc2's header names the full, skipping inc1: read by its header it is not the restore point")
                .isFalse();
        assertThat(Tools.exec(List.of("qemu-img", "info", "--backing-chain", inc1.toString())).exit())
                .as("inc1's header names a file that does not exist").isNotZero();

        try (ChainExport export = exports.start("r1", "dom", socket, "vda", chain.links())) {
            NbdEndpoint endpoint = export.endpoint();
            assertThat(endpoint.server().transport()).isEqualTo("unix");
            assertThat(endpoint.server().socket()).isEqualTo(socket.path().toString());
            assertThat(endpoint.server().tls()).isTrue();
            assertThat(endpoint.psk().username()).isEqualTo("cairn");
            assertThat(endpoint.psk().key()).matches("[0-9a-f]{64}");
            NbdExport vda = endpoint.exports().get(0);
            assertThat(vda.disk()).isEqualTo("vda");
            assertThat(vda.exportName()).isEqualTo("vda");
            assertThat(vda.uri()).isEqualTo("nbds+unix://cairn@/vda?socket=" + socket.path());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.path(),
                    LinkOption.NOFOLLOW_LINKS)).substring(3)).as("group and others may not connect").doesNotContain("w");
            Path serverKey = dir.resolve("state/restore-psk/r1/keys.psk");
            assertThat(Files.readString(serverKey)).isEqualTo(endpoint.psk().fileLine() + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(serverKey))).isEqualTo("rw-------");

            Path copy = dir.resolve("copy.raw");
            Tools.run("nbdcopy", vda.uri() + "&tls-psk-file=" + clientKey(export), copy.toString());
            assertThat(Tools.identical(copy, "raw", chain.expected(), "raw")).isTrue();

            assertThatThrownBy(() -> exports.start("r2", "dom", socket, "vda", chain.links()))
                    .as("QEMU would unlink a live server's socket").isInstanceOfSatisfying(CairnException.class,
                            e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_RESOURCE_BUSY));
            assertThatThrownBy(() -> exports.start("r1", "dom", RestoreChains.socket(dir.resolve("storage"), "dom",
                    "other.sock"), "vda", chain.links())).isInstanceOfSatisfying(CairnException.class,
                            e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_INVALID));
            assertThat(export.alive()).isTrue();
        }
    }

    @Test
    void refusesClientsWithoutTheKeyAndEveryWrite() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        try (ChainExport export = exports.start("r1", "dom", socket, "vda", chain.links())) {
            String uri = export.endpoint().exports().get(0).uri();
            Path key = clientKey(export);
            Path wrong = RestoreChains.keyFile(dir.resolve("wrong.psk"),
                    new io.cairn.events.event.NbdPsk("cairn", "00".repeat(32)));
            assertThat(Tools.exec(List.of("nbdinfo", "nbd+unix:///vda?socket=" + socket.path())).exit())
                    .as("plain NBD").isNotZero();
            assertThat(Tools.exec(List.of("nbdinfo", uri)).exit()).as("TLS without a key").isNotZero();
            assertThat(Tools.exec(List.of("nbdinfo", uri + "&tls-psk-file=" + wrong)).exit()).as("a wrong key").isNotZero();
            assertThat(Tools.run("nbdinfo", uri + "&tls-psk-file=" + key)).contains("is_read_only: true");

            Path junk = dir.resolve("junk.raw");
            Tools.run("qemu-img", "create", "-q", "-f", "raw", junk.toString(), Long.toString(SIZE));
            Tools.run("qemu-io", "-f", "raw", "-c", "write -P 0x99 0 1M", junk.toString());
            assertThat(Tools.exec(List.of("nbdcopy", junk.toString(), uri + "&tls-psk-file=" + key)).exit())
                    .as("nbdcopy onto the export").isNotZero();
            // QEMU's own client, which asks the server to open the export for writing.
            Path clientDir = dir.resolve("qemu-client");
            Files.createDirectories(clientDir);
            Files.copy(key, clientDir.resolve("keys.psk"));
            Tools.Result write = Tools.exec(List.of("qemu-io",
                    "--object", "tls-creds-psk,id=tls0,endpoint=client,dir=" + clientDir + ",username=cairn",
                    "--image-opts", "driver=nbd,server.type=unix,server.path=" + socket.path()
                            + ",export=vda,tls-creds=tls0",
                    "-c", "write -P 0x99 0 64k"));
            assertThat(write.exit()).as("qemu-io write: %s", write.output()).isNotZero();
            assertThat(write.output()).doesNotContain("wrote");

            Path copy = dir.resolve("copy.raw");
            Tools.run("nbdcopy", uri + "&tls-psk-file=" + key, copy.toString());
            assertThat(Tools.identical(copy, "raw", chain.expected(), "raw")).as("nothing was written").isTrue();
            assertThat(export.alive()).isTrue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void servesSeveralDisksFromOneDaemon() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        List<ChainLink> upToInc1 = chain.links().subList(0, 2);
        Path expectedInc1 = dir.resolve("expected-inc1.raw");
        Tools.run("qemu-img", "convert", "-O", "raw",
                RestoreChains.stacked(upToInc1.get(0).path(), upToInc1.get(1).path()), expectedInc1.toString());
        try (ChainExport export = exports.start("r1", "dom", socket, List.of(DiskChain.of("vda", chain.links()),
                new DiskChain("vdb", "vdb-cp1", upToInc1), DiskChain.of("vdc", chain.links().subList(0, 1))))) {
            List<NbdExport> served = export.endpoint().exports();
            assertThat(served).extracting(NbdExport::exportName).containsExactly("vda", "vdb-cp1", "vdc");
            Path key = clientKey(export);
            Path vda = dir.resolve("vda.raw");
            Path vdb = dir.resolve("vdb.raw");
            Path vdc = dir.resolve("vdc.raw");
            Tools.run("nbdcopy", served.get(0).uri() + "&tls-psk-file=" + key, vda.toString());
            Tools.run("nbdcopy", served.get(1).uri() + "&tls-psk-file=" + key, vdb.toString());
            Tools.run("nbdcopy", served.get(2).uri() + "&tls-psk-file=" + key, vdc.toString());
            assertThat(Tools.identical(vda, "raw", chain.expected(), "raw")).isTrue();
            assertThat(Tools.identical(vdb, "raw", expectedInc1, "raw")).isTrue();
            assertThat(Tools.identical(vdc, "raw", chain.links().get(0).path(), "qcow2")).isTrue();
            assertThat(Tools.identical(vda, "raw", vdb, "raw")).as("different restore points").isFalse();
        }
    }

    @Test
    void closeLeavesNoProcessSocketKeyOrRecord() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        ChainExport export = exports.start("r1", "dom", socket, "vda", chain.links());
        long pid = export.pid();
        assertThat(ProcessHandle.of(pid)).isPresent();
        assertThat(dir.resolve("state/chain-exports/r1.export")).exists();

        export.close();

        assertThat(export.alive()).isFalse();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(socket.path()).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/r1")).doesNotExist();
        assertThat(dir.resolve("state/chain-exports/r1.export")).doesNotExist();
        assertThat(exports.get("r1")).isEmpty();
        export.close();
        assertThat(exports.reconcile()).isEmpty();
    }

    @Test
    void aDaemonThatDiesIsSeenAndStillCleanedUp() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        ChainExport export = exports.start("r1", "dom", socket, "vda", chain.links());
        ProcessHandle.of(export.pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> export.onExit().isDone());
        assertThat(export.alive()).isFalse();
        export.close();
        assertThat(socket.path()).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/r1")).doesNotExist();
        assertThat(dir.resolve("state/chain-exports/r1.export")).doesNotExist();
    }

    @Test
    void aDaemonThatNeverAnswersInTimeIsStoppedAndReported() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        // No qemu-storage-daemon greets within a millisecond of its spawn (about 30 ms here).
        ChainExports impatient = new ChainExports(dir.resolve("state"), policy, Duration.ofMillis(1));

        assertThatThrownBy(() -> impatient.start("r1", "dom", socket, "vda", chain.links()))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT);
                    assertThat(e.getMessage()).contains("did not answer on '" + socket.path() + "'");
                });
        assertThat(QsdProcesses.find(QsdCommand.marker(dir.resolve("state/restore-psk/r1")))).isEmpty();
        assertThat(socket.path()).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/r1")).doesNotExist();
        assertThat(dir.resolve("state/chain-exports/r1.export")).doesNotExist();
    }

    @Test
    void reconcileStopsTheDaemonAPreviousAgentLeft() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        // The previous agent process: it started the export, then died without closing it.
        ChainExport leftover = new ChainExports(dir.resolve("state"), policy).start("r1", "dom", socket, "vda", chain.links());
        long pid = leftover.pid();

        List<String> done = exports.reconcile();

        assertThat(done).containsExactly("dom: stopped leftover restore export r1 (pid " + pid + ")");
        await().atMost(Duration.ofSeconds(10)).until(() -> !leftover.alive());
        assertThat(socket.path()).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/r1")).doesNotExist();
        assertThat(dir.resolve("state/chain-exports/r1.export")).doesNotExist();
    }

    @Test
    void startingAnIdAPreviousAgentLeftRunningStopsThatDaemonFirst() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        StorePath oldSocket = RestoreChains.socket(dir.resolve("storage"), "dom", "old.sock");
        ChainExport leftover = new ChainExports(dir.resolve("state"), policy).start("r1", "dom", oldSocket, "vda",
                chain.links());

        try (ChainExport export = exports.start("r1", "dom", socket, "vda", chain.links())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !leftover.alive());
            assertThat(oldSocket.path()).doesNotExist();
            assertThat(export.alive()).isTrue();
            assertThat(exports.reconcile()).as("the new daemon is this agent's own").isEmpty();
            assertThat(export.alive()).isTrue();
        }
    }

    @Test
    void reconcileLeavesAProcessThatReusedTheRecordedPidAlone() throws IOException {
        // A record whose pid now belongs to another program: it is not qemu-storage-daemon, so it lives on.
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            ExportRecords records = new ExportRecords(dir.resolve("state/chain-exports"));
            records.beforeStart("r9", "dom", socket.path(), dir.resolve("state/restore-psk/r9"));
            records.started("r9", stranger.pid());

            assertThat(exports.reconcile()).containsExactly("dom: restore export r9 had no daemon left");
            assertThat(stranger.isAlive()).isTrue();
            assertThat(dir.resolve("state/chain-exports/r9.export")).doesNotExist();
        } finally {
            stranger.destroy();
        }
    }

    @Test
    void reconcileFindsADaemonWhosePidWasNeverRecorded() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        ChainExport leftover = new ChainExports(dir.resolve("state"), policy).start("r1", "dom", socket, "vda", chain.links());
        // The agent died between spawning the daemon and recording its pid.
        Path record = dir.resolve("state/chain-exports/r1.export");
        List<String> lines = Files.readAllLines(record);
        Files.write(record, lines.stream().filter(line -> !line.startsWith("pid ")).toList());

        assertThat(exports.reconcile()).containsExactly(
                "dom: stopped leftover restore export r1 (pid " + leftover.pid() + ")");
        await().atMost(Duration.ofSeconds(10)).until(() -> !leftover.alive());
    }

    @Test
    void aMissingLinkIsNamedAndNothingIsLeftBehind() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        Path inc1 = chain.links().get(1).path();
        Files.delete(inc1);

        assertThatThrownBy(() -> exports.start("r1", "dom", socket, "vda", chain.links()))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_SYSTEM_ERROR);
                    assertThat(e.getMessage()).isEqualTo("link 2 of 3 of disk 'vda': cannot access artifact '" + inc1
                            + "' of disk 'vda': No such file or directory");
                });
        assertThat(dir.resolve("state/chain-exports/r1.export")).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/r1")).doesNotExist();
    }

    @Test
    void servesOnlyTheAgentsOwnFilesInTheDomainsDirectory() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        Path elsewhere = Files.copy(chain.links().get(0).path(), dir.resolve("elsewhere.qcow2"));
        Path otherDomain = Files.createDirectories(dir.resolve("storage/other"));
        Path theirs = Files.copy(chain.links().get(0).path(), otherDomain.resolve("full.qcow2"));
        Path link = Files.createSymbolicLink(domainDir.resolve("link.qcow2"), chain.links().get(0).path());
        for (Path refused : List.of(elsewhere, theirs, link, Path.of("/etc/hostname"))) {
            assertThatThrownBy(() -> exports.start("r1", "dom", socket, "vda",
                    List.of(new ChainLink(refused, ChainLink.RAW))))
                    .as("%s", refused).isInstanceOfSatisfying(CairnException.class,
                            e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED));
        }
        assertThat(socket.path()).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/r1")).doesNotExist();
    }

    @Test
    void aDaemonThatExitsEarlyReportsItsError() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        Path notQcow2 = domainDir.resolve("not-a-qcow2");
        Files.write(notQcow2, new byte[65536]);

        assertThatThrownBy(() -> exports.start("r1", "dom", socket, "vda",
                List.of(chain.links().get(0), ChainLink.qcow2(notQcow2))))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_FAILED);
                    assertThat(e.getMessage()).contains("qemu-storage-daemon for restore export 'r1' of 'dom' exited")
                            .contains("qcow2");
                });
        assertThat(socket.path()).doesNotExist();
        assertThat(dir.resolve("state/chain-exports/r1.export")).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/r1")).doesNotExist();
    }

    private Path clientKey(ChainExport export) {
        Path file = dir.resolve("client-" + export.exportId() + ".psk");
        return Files.exists(file) ? file : RestoreChains.keyFile(file, export.endpoint().psk());
    }
}
