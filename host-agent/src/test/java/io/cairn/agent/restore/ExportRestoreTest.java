package io.cairn.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.agent.backup.RecordingSink;
import io.cairn.agent.backup.Tools;
import io.cairn.agent.restore.RestoreChains.Chain;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.EndRestoreRequest;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.model.RestoreMode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instant restore on the agent, with real qemu-img, qemu-io, qemu-storage-daemon and nbdcopy: a restore.start of mode
 * export checks a full + 2 incrementals chain (headers that lie) against its checksums, serves it, and the disk read
 * through the reported endpoint with its key equals the disk at the checkpoint; writes are refused; the export
 * says it is alive while it serves; restore.end stops the daemon; a daemon that dies, a damaged artifact and a dead
 * agent's leftover each end it FAILED, so backup-service never keeps an export nothing serves.
 */
class ExportRestoreTest {
    private static final long SIZE = 64 * RestoreChains.MIB;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Path domainDir;
    private StoragePolicy policy;
    private ChainExports chainExports;
    private final RecordingSink sink = new RecordingSink();
    private ExportRestores exports;

    @BeforeEach
    void agent() throws IOException {
        domainDir = Files.createDirectories(dir.resolve("storage/dom"));
        policy = new StoragePolicy(List.of(dir.resolve("storage")));
        chainExports = new ChainExports(dir.resolve("state"), policy);
        // A heartbeat much shorter than the service's silence bound, short enough to see here.
        exports = new ExportRestores("host-1", policy, chainExports, sink, Duration.ofMillis(300));
    }

    @AfterEach
    void stopEverything() {
        exports.stopAll();
        chainExports.closeAll();
    }

    @Test
    void servesTheChainAtTheCheckpointReadOnlyUntilEnded() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        long asked = System.nanoTime();
        exports.start(request("3c9e2a71-0001", chain)).await().atMost(WAIT);
        RestoreJobReport exported = awaitState("3c9e2a71-0001", RestoreJobState.EXPORTED);
        long readyMs = (System.nanoTime() - asked) / 1_000_000;

        NbdEndpoint nbd = exported.nbd();
        Path socket = domainDir.resolve(".export-3c9e2a71.sock");
        assertThat(nbd.server().socket()).isEqualTo(socket.toString());
        assertThat(nbd.server().tls()).isTrue();
        assertThat(nbd.psk().key()).matches("[0-9a-f]{64}");
        String uri = nbd.exports().get(0).uri();
        assertThat(uri).isEqualTo("nbds+unix://cairn@/vda?socket=" + socket);
        assertThat(exported.bytesDone()).as("every artifact was read for its checksum")
                .isEqualTo(exported.bytesTotal()).isPositive();
        Path key = RestoreChains.keyFile(dir.resolve("client.psk"), nbd.psk());

        Path copy = dir.resolve("copy.raw");
        Tools.run("nbdcopy", uri + "&tls-psk-file=" + key, copy.toString());
        assertThat(Tools.run("qemu-img", "compare", "-f", "raw", "-F", "raw", copy.toString(),
                chain.expected().toString())).contains("Images are identical");
        assertThat(Tools.exec(List.of("nbdinfo", uri)).exit()).as("without the key").isNotZero();
        Path junk = dir.resolve("junk.raw");
        Tools.run("qemu-img", "create", "-q", "-f", "raw", junk.toString(), Long.toString(SIZE));
        assertThat(Tools.exec(List.of("nbdcopy", junk.toString(), uri + "&tls-psk-file=" + key)).exit())
                .as("a write onto the export").isNotZero();
        assertThat(Tools.run("nbdinfo", uri + "&tls-psk-file=" + key)).contains("is_read_only: true");

        int before = reportsIn("3c9e2a71-0001", RestoreJobState.EXPORTED);
        await("heartbeats").atMost(WAIT).until(() -> reportsIn("3c9e2a71-0001", RestoreJobState.EXPORTED) >= before + 2);
        long pid = chainExports.get("3c9e2a71-0001").orElseThrow().pid();

        exports.end(new EndRestoreRequest("end-1", "host-1", "dom", "3c9e2a71-0001")).await().atMost(WAIT);
        RestoreJobReport end = last("3c9e2a71-0001");
        assertThat(end.state()).isEqualTo(RestoreJobState.COMPLETED);
        assertThat(end.error()).isNull();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the daemon").isEmpty();
        assertThat(socket).doesNotExist();
        assertThat(dir.resolve("state/restore-psk/3c9e2a71-0001")).doesNotExist();
        assertThat(exports.knows("3c9e2a71-0001")).isFalse();
        List<Long> sequences = sink.restoreReportsOf("3c9e2a71-0001").stream().map(RestoreJobReport::sequence).toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
        int after = sink.restoreReportsOf("3c9e2a71-0001").size();
        // No heartbeat after the end: three would have been due in this time.
        await("no report after the end").during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(3))
                .until(() -> sink.restoreReportsOf("3c9e2a71-0001").size() == after);
        System.out.printf("export ready %d ms after restore.start (64 MiB, 3 links, checksums included)%n", readyMs);
    }

    @Test
    void anEndOfAnExportThisAgentDoesNotKnowReportsItEnded() {
        exports.end(new EndRestoreRequest("end-2", "host-1", "dom", "gone-0001")).await().atMost(WAIT);

        RestoreJobReport end = last("gone-0001");
        assertThat(end.state()).isEqualTo(RestoreJobState.COMPLETED);
        assertThat(end.sequence()).isEqualTo(RestoreJobReport.LAST_WORD);
    }

    @Test
    void aDamagedArtifactFailsItBeforeAnythingServes() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        StartRestoreRequest request = request("bad-0001", chain);
        try (RandomAccessFile file = new RandomAccessFile(chain.links().get(1).path().toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xff);
        }
        exports.start(request).await().atMost(WAIT);

        RestoreJobReport failed = sink.awaitRestoreEnd("bad-0001", WAIT);
        assertThat(failed.state()).isEqualTo(RestoreJobState.FAILED);
        assertThat(failed.error().message()).contains("is damaged").contains(chain.links().get(1).path().toString());
        assertThat(sink.restoreReportsOf("bad-0001")).noneMatch(report -> report.state() == RestoreJobState.EXPORTED);
        assertThat(domainDir.resolve(".export-bad-0001.sock")).doesNotExist();
        assertThat(exports.knows("bad-0001")).isFalse();
    }

    @Test
    void refusesAnArtifactOutsideTheDomainsDirectory() throws IOException {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        Path other = Files.createDirectories(dir.resolve("storage/other"));
        Path moved = Files.copy(chain.links().get(0).path(), other.resolve("full.qcow2"));
        List<RestoreLink> links = new ArrayList<>(linksOf(chain));
        RestoreLink full = links.get(0);
        links.set(0, new RestoreLink(moved.toString(), full.format(), full.size(), full.sha256()));

        assertThatThrownBy(() -> exports.start(new StartRestoreRequest("req", "host-1", "dom", "out-0001",
                RestoreMode.EXPORT, List.of(new DiskRestorePlan("vda", links, null, null)))).await().atMost(WAIT))
                .isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED));
        assertThat(sink.restoreReportsOf("out-0001")).isEmpty();
    }

    @Test
    void aDaemonThatDiesEndsTheExportFailed() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        exports.start(request("dies-0001", chain)).await().atMost(WAIT);
        awaitState("dies-0001", RestoreJobState.EXPORTED);

        ProcessHandle.of(chainExports.get("dies-0001").orElseThrow().pid()).orElseThrow().destroyForcibly();

        RestoreJobReport failed = sink.awaitRestoreEnd("dies-0001", WAIT);
        assertThat(failed.state()).isEqualTo(RestoreJobState.FAILED);
        assertThat(failed.error().message()).contains("stopped on its own");
        assertThat(domainDir.resolve(".export-dies-000.sock")).doesNotExist();
        assertThat(exports.knows("dies-0001")).isFalse();
    }

    @Test
    void aRestartedAgentStopsTheDeadOnesExportAndReportsItFailed() {
        Chain chain = RestoreChains.threeLinks(domainDir, SIZE);
        exports.start(request("left-0001", chain)).await().atMost(WAIT);
        awaitState("left-0001", RestoreJobState.EXPORTED);
        ChainExport leftover = chainExports.get("left-0001").orElseThrow();

        // The next agent process: same state directory, nothing of its own running.
        RecordingSink next = new RecordingSink();
        ExportRestores restarted = new ExportRestores("host-1", policy, new ChainExports(dir.resolve("state"), policy),
                next, Duration.ofSeconds(30));
        List<String> done = restarted.reconcile();

        assertThat(done).containsExactly("dom: stopped leftover restore export left-0001 (pid " + leftover.pid() + ")");
        await().atMost(WAIT).until(() -> !leftover.alive());
        RestoreJobReport report = next.restoreReportsOf("left-0001").get(0);
        assertThat(report.state()).isEqualTo(RestoreJobState.FAILED);
        assertThat(report.sequence()).as("outranks whatever the dead agent sent").isEqualTo(RestoreJobReport.LAST_WORD);
        assertThat(report.error().message()).contains("restarted");
        assertThat(domainDir.resolve(".export-left-000.sock")).doesNotExist();
        assertThat(restarted.reconcile()).isEmpty();
    }

    private StartRestoreRequest request(String restoreId, Chain chain) {
        return new StartRestoreRequest("req-" + restoreId, "host-1", "dom", restoreId, RestoreMode.EXPORT,
                List.of(new DiskRestorePlan("vda", linksOf(chain), null, null)));
    }

    /** The chain as the catalog records it: each link with its size and SHA-256. */
    private static List<RestoreLink> linksOf(Chain chain) {
        List<RestoreLink> links = new ArrayList<>();
        for (ChainLink link : chain.links()) {
            try {
                ArtifactCheck.Digest digest = ArtifactCheck.digest(link.path(), read -> { });
                links.add(new RestoreLink(link.path().toString(), link.format(), digest.size(), digest.sha256()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return links;
    }

    private RestoreJobReport awaitState(String restoreId, RestoreJobState state) {
        await(restoreId + " " + state).atMost(WAIT).until(() -> reportsIn(restoreId, state) > 0
                || sink.restoreReportsOf(restoreId).stream().anyMatch(report -> report.state().isTerminal()));
        Optional<RestoreJobReport> found = sink.restoreReportsOf(restoreId).stream()
                .filter(report -> report.state() == state).findFirst();
        assertThat(found).as("reports of %s: %s", restoreId, sink.restoreReportsOf(restoreId)).isPresent();
        return found.get();
    }

    private int reportsIn(String restoreId, RestoreJobState state) {
        return (int) sink.restoreReportsOf(restoreId).stream().filter(report -> report.state() == state).count();
    }

    private RestoreJobReport last(String restoreId) {
        List<RestoreJobReport> reports = sink.restoreReportsOf(restoreId);
        assertThat(reports).isNotEmpty();
        return reports.get(reports.size() - 1);
    }
}
