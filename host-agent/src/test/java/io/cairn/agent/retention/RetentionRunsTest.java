package io.cairn.agent.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.agent.backup.BackupJobs;
import io.cairn.agent.backup.CreatedStores;
import io.cairn.agent.backup.NbdPskFiles;
import io.cairn.agent.backup.RecordingSink;
import io.cairn.agent.backup.TestAgentConfig;
import io.cairn.agent.backup.Tools;
import io.cairn.agent.storage.NbdAddressPolicy;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.agent.ApplyRetentionRequest;
import io.cairn.events.agent.ArtifactDeleteOrder;
import io.cairn.events.agent.ArtifactMergeOrder;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RetentionJobReport;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention runs on real files, as the agent gets them: a chain full &lt;- inc1 &lt;- inc2 &lt;- inc3 whose two oldest
 * points expire. The run merges them into inc2, deletes them, and reports after every step; the kept points read as
 * the guest's disk did. Orders naming a file outside the domain's directory are refused with nothing changed; a
 * failing step stops the run before any deletion.
 */
class RetentionRunsTest {
    private static final long SIZE = 32L << 20;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Path store;
    private RecordingSink sink;
    private RetentionRuns runs;
    private BackupJobs backups;
    private Path full;
    private Path inc1;
    private Path inc2;
    private Path inc3;
    private Path atInc2;
    private Path atInc3;

    @BeforeEach
    void backUpFourTimes() throws IOException {
        List<String> fullWrites = List.of("write -P 0x11 0 4M", "write -P 0x12 8M 1M");
        List<String> inc1Writes = List.of("write -P 0x22 1M 1M", "write -z 8M 64k");
        List<String> inc2Writes = List.of("write -P 0x33 1536k 64k", "write -P 0x34 20M 1M");
        List<String> inc3Writes = List.of("write -P 0x44 0 64k", "write -P 0x45 28M 1M");
        Path guest = Images.create(dir.resolve("guest.qcow2"), SIZE, fullWrites);
        Images.write(guest, inc1Writes);
        Images.write(guest, inc2Writes);
        atInc2 = Images.raw(guest.toString(), dir.resolve("at-inc2.raw"));
        Images.write(guest, inc3Writes);
        atInc3 = Images.raw(guest.toString(), dir.resolve("at-inc3.raw"));

        Path root = dir.resolve("root");
        store = root.resolve("vm1");
        Files.createDirectories(store, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        full = Images.create(store.resolve("full.qcow2"), SIZE, fullWrites);
        inc1 = Images.create(store.resolve("inc1.qcow2"), SIZE, inc1Writes);
        inc2 = Images.create(store.resolve("inc2.qcow2"), SIZE, inc2Writes);
        inc3 = Images.create(store.resolve("inc3.qcow2"), SIZE, inc3Writes);
        Images.backing(inc1, full.toString());
        Images.backing(inc2, inc1.toString());
        Images.backing(inc3, inc2.toString());

        TestAgentConfig config = TestAgentConfig.of(dir.resolve("qmp"), root);
        StoragePolicy storage = new StoragePolicy(List.of(root));
        sink = new RecordingSink();
        Path state = dir.resolve("agent-state");
        backups = new BackupJobs(config, storage, new StoreFiles(storage), new NbdAddressPolicy(config),
                sink, new CreatedStores(state.resolve("created-stores")), new NbdPskFiles(state.resolve("nbd-psk")));
        runs = new RetentionRuns(config, storage, backups, sink);
    }

    @Test
    void expiredLinksAreMergedIntoTheKeptOneThenDeletedAndEveryStepIsReported() {
        // The planner's steps for keep-last 2: inc2 absorbs inc1 onto the full, then the full (standalone).
        ApplyRetentionRequest request = new ApplyRetentionRequest("req-1", "host-test", "vm1", "run-1",
                List.of(new ArtifactMergeOrder("vda", inc2.toString(), inc1.toString(), List.of(full.toString())),
                        new ArtifactMergeOrder("vda", inc2.toString(), full.toString(), List.of())),
                List.of(new ArtifactDeleteOrder("vda", inc1.toString()), new ArtifactDeleteOrder("vda",
                        full.toString())));

        runs.start(request).await().atMost(WAIT);
        RetentionJobReport end = sink.awaitRetentionEnd("run-1", WAIT);

        assertThat(end.state()).as(String.valueOf(end.error())).isEqualTo(RestoreJobState.COMPLETED);
        assertThat(sink.retentionReportsOf("run-1")).extracting(RetentionJobReport::sequence).containsExactly(1L, 2L,
                3L);
        assertThat(sink.retentionReportsOf("run-1").get(0).merged()).hasSize(1);
        assertThat(end.merged()).hasSize(2);
        assertThat(end.merged().get(0).backing()).isEqualTo(full.toString());
        assertThat(end.merged().get(1).backing()).isNull();
        assertThat(end.merged().get(1).sha256()).isEqualTo(Images.sha256(inc2));
        assertThat(end.deleted()).containsExactly(inc1.toString(), full.toString());
        assertThat(full).doesNotExist();
        assertThat(inc1).doesNotExist();
        assertThat(Images.backingOf(inc2)).isNull();
        assertThat(Tools.identical(inc2, "qcow2", atInc2, "raw")).as("inc2 alone is the disk at inc2").isTrue();
        assertThat(Tools.identical(inc3, "qcow2", atInc3, "raw")).as("inc3 on it is the disk at inc3").isTrue();
        assertThat(runs.knows("run-1")).isFalse();
    }

    @Test
    void aRunReportsEvenBetweenStepsAndNothingAfterItsEnd() {
        RetentionRuns fast = new RetentionRuns(TestAgentConfig.of(dir.resolve("qmp2"), store.getParent()),
                new StoragePolicy(List.of(store.getParent())), backups, sink,
                new ChainMerge(new StoragePolicy(List.of(store.getParent())), Duration.ofMinutes(1)),
                Duration.ofMillis(20));
        fast.start(new ApplyRetentionRequest("req-1", "host-test", "vm1", "run-6",
                List.of(new ArtifactMergeOrder("vda", inc2.toString(), inc1.toString(), List.of(full.toString())),
                        new ArtifactMergeOrder("vda", inc2.toString(), full.toString(), List.of())),
                List.of())).await().atMost(WAIT);

        RetentionJobReport end = sink.awaitRetentionEnd("run-6", WAIT);
        List<RetentionJobReport> reports = sink.retentionReportsOf("run-6");
        assertThat(end.state()).isEqualTo(RestoreJobState.COMPLETED);
        assertThat(reports.stream().filter(report -> report.state() == RestoreJobState.RUNNING).count())
                .as("heartbeats beside the two step reports").isGreaterThan(2);
        assertThat(reports.stream().filter(report -> report.state().isTerminal())).singleElement();
        assertThat(end.sequence()).isEqualTo(reports.stream().mapToLong(RetentionJobReport::sequence).max()
                .orElseThrow());
        fast.stop();
    }

    @Test
    void aFileAlreadyGoneCountsAsDeleted() throws IOException {
        Files.delete(inc1);

        runs.start(new ApplyRetentionRequest("req-1", "host-test", "vm1", "run-2", List.of(),
                List.of(new ArtifactDeleteOrder("vda", inc1.toString())))).await().atMost(WAIT);

        RetentionJobReport end = sink.awaitRetentionEnd("run-2", WAIT);
        assertThat(end.state()).isEqualTo(RestoreJobState.COMPLETED);
        assertThat(end.deleted()).containsExactly(inc1.toString());
    }

    @Test
    void anOrderOutsideTheDomainsDirectoryIsRefusedWithNothingChanged() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("precious.img"), "keep me");
        String inc2Sha = Images.sha256(inc2);

        assertThatThrownBy(() -> runs.start(new ApplyRetentionRequest("req-1", "host-test", "vm1", "run-3",
                List.of(new ArtifactMergeOrder("vda", inc2.toString(), inc1.toString(), List.of(full.toString()))),
                List.of(new ArtifactDeleteOrder("vda", elsewhere.toString())))).await().atMost(WAIT))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED));
        assertThatThrownBy(() -> runs.start(new ApplyRetentionRequest("req-2", "host-test", "vm1", "run-4",
                List.of(), List.of(new ArtifactDeleteOrder("vda", store.resolve("../vm1/../../precious.img")
                        .toString())))).await().atMost(WAIT)).isInstanceOf(CairnException.class);

        assertThat(elsewhere).hasContent("keep me");
        assertThat(Images.sha256(inc2)).isEqualTo(inc2Sha);
        assertThat(sink.retentionReportsOf("run-3")).isEmpty();
        assertThat(runs.knows("run-3")).isFalse();
    }

    @Test
    void aFailingMergeStopsTheRunBeforeAnyDeletion() throws IOException {
        String inc2Sha = Images.sha256(inc2);
        // The expired link is not what the chain needs: not an image at all.
        Path bogus = Files.writeString(store.resolve("bogus.qcow2"), "not a qcow2 image");

        runs.start(new ApplyRetentionRequest("req-1", "host-test", "vm1", "run-5",
                List.of(new ArtifactMergeOrder("vda", inc2.toString(), bogus.toString(), List.of(full.toString()))),
                List.of(new ArtifactDeleteOrder("vda", inc1.toString())))).await().atMost(WAIT);

        RetentionJobReport end = sink.awaitRetentionEnd("run-5", WAIT);
        assertThat(end.state()).isEqualTo(RestoreJobState.FAILED);
        assertThat(end.error().code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_FAILED.name());
        assertThat(end.merged()).isEmpty();
        assertThat(end.deleted()).isEmpty();
        assertThat(inc1).exists();
        assertThat(Images.sha256(inc2)).as("the successor is left as it was").isEqualTo(inc2Sha);
    }
}
