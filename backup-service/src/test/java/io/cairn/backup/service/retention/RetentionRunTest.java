package io.cairn.backup.service.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.agent.MergedFile;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RetentionJobReport;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.KeptRestorePoint;
import io.cairn.events.event.PrunedArtifactEntry;
import io.cairn.events.event.RetentionAppliedEvent;
import io.cairn.events.event.UnneededCheckpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's rules: planned once, reports applied once and in order, the catalog told each step once, one outcome. */
class RetentionRunTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final RetentionWork WORK = new RetentionWork(
            List.of(new KeptRestorePoint("cp-3", "j-3", "keep-last")),
            List.of(new PlannedMerge("vda", "j-3/vda", "/b/vda.cp-3", "j-2/vda", "/b/vda.cp-2", List.of("/b/vda.cp-1"),
                            "cp-1", 1000L),
                    new PlannedMerge("vda", "j-3/vda", "/b/vda.cp-3", "j-1/vda", "/b/vda.cp-1", List.of(), null, 1000L)),
            List.of(new PrunedArtifactEntry("vda", "j-2/vda", "cp-2", "/b/vda.cp-2", 4000L),
                    new PrunedArtifactEntry("vda", "j-1/vda", "cp-1", "/b/vda.cp-1", 10000L)),
            List.of(new UnneededCheckpoint("cp-1", T0), new UnneededCheckpoint("cp-2", T0)));

    private static RetentionRun running() {
        RetentionRun run = RetentionRun.pending("run-1", "cmd-1", "vm-1", T0);
        assertThat(run.plan(WORK, "host-1", T0)).isFalse();
        assertThat(run.state()).isEqualTo(RetentionRunState.RUNNING);
        return run;
    }

    private static RetentionJobReport report(long sequence, RestoreJobState state, int merged, List<String> deleted) {
        List<MergedFile> files = List.of(new MergedFile("vda", "/b/vda.cp-3", "/b/vda.cp-1", 1500, "a".repeat(64)),
                new MergedFile("vda", "/b/vda.cp-3", null, 2500, "b".repeat(64))).subList(0, merged);
        return new RetentionJobReport("run-1", "host-1", "vm-1", sequence, state, files, deleted,
                state == RestoreJobState.FAILED ? ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "disk full")
                        : null, T0);
    }

    @Test
    void eachStepIsHandedToTheCatalogOnceAndTheEndGivesOneOutcome() {
        RetentionRun run = running();

        RetentionRun.ReportEffect first = run.apply(report(1, RestoreJobState.RUNNING, 1, List.of()), T0);
        assertThat(first.newlyMerged()).singleElement().satisfies(entry -> {
            assertThat(entry.artifact()).isEqualTo("j-3/vda");
            assertThat(entry.mergedAway()).isEqualTo("j-2/vda");
            assertThat(entry.incrementalFrom()).isEqualTo("cp-1");
            assertThat(entry.size()).isEqualTo(1500);
        });
        assertThat(run.apply(report(1, RestoreJobState.RUNNING, 1, List.of()), T0).newlyMerged())
                .as("a duplicate").isEmpty();
        RetentionRun.ReportEffect last = run.apply(report(3, RestoreJobState.COMPLETED, 2,
                List.of("/b/vda.cp-2", "/b/vda.cp-1")), T0.plusSeconds(5));
        assertThat(last.ended()).isTrue();
        assertThat(last.newlyMerged()).singleElement().satisfies(entry -> assertThat(entry.incrementalFrom()).isNull());
        assertThat(last.newlyDeleted()).extracting(PrunedArtifactEntry::artifact).containsExactly("j-2/vda", "j-1/vda");
        assertThat(run.apply(report(4, RestoreJobState.COMPLETED, 2, List.of()), T0).ended()).as("after the end")
                .isFalse();

        RetentionAppliedEvent outcome = run.outcome("ev-1", T0.plusSeconds(6));
        assertThat(outcome.success()).isTrue();
        assertThat(outcome.merged()).hasSize(2);
        assertThat(outcome.deleted()).hasSize(2);
        // 14000 deleted, the kept artifact grew from 1000 to 2500 bytes.
        assertThat(outcome.bytesFreed()).isEqualTo(14000 - 1500);
        assertThat(outcome.unneededCheckpoints()).extracting(UnneededCheckpoint::checkpoint).containsExactly("cp-1",
                "cp-2");
    }

    @Test
    void aFailedRunListsWhatItDidAndNoCheckpointAsUnneeded() {
        RetentionRun run = running();
        run.apply(report(1, RestoreJobState.RUNNING, 1, List.of()), T0);
        RetentionRun.ReportEffect end = run.apply(report(2, RestoreJobState.FAILED, 1, List.of()), T0);

        assertThat(end.ended()).isTrue();
        assertThat(end.newlyMerged()).isEmpty();
        RetentionAppliedEvent outcome = run.outcome("ev-1", T0);
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error().message()).isEqualTo("disk full");
        assertThat(outcome.merged()).hasSize(1);
        assertThat(outcome.unneededCheckpoints()).isEmpty();
    }

    @Test
    void stepsReportedAfterTheServiceEndedTheRunStillReachTheCatalogButNotASecondOutcome() {
        RetentionRun run = running();
        assertThat(run.fail(ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "silent"), T0)).isTrue();
        RetentionAppliedEvent first = run.outcome("ev-1", T0);

        RetentionRun.ReportEffect late = run.apply(report(5, RestoreJobState.COMPLETED, 2,
                List.of("/b/vda.cp-2", "/b/vda.cp-1")), T0.plusSeconds(60));

        assertThat(late.ended()).isFalse();
        assertThat(late.newlyMerged()).hasSize(2);
        assertThat(late.newlyDeleted()).hasSize(2);
        assertThat(run.state()).isEqualTo(RetentionRunState.FAILED);
        assertThat(first.success()).isFalse();
        assertThat(run.apply(report(5, RestoreJobState.COMPLETED, 2, List.of()), T0).newlyMerged()).isEmpty();
    }

    @Test
    void aReportFromAnotherHostIsNotBelieved() {
        RetentionRun run = running();
        RetentionJobReport forged = new RetentionJobReport("run-1", "host-2", "vm-1", 9, RestoreJobState.COMPLETED,
                List.of(), List.of("/b/vda.cp-2"), null, T0);

        assertThat(run.apply(forged, T0).ended()).isFalse();
        assertThat(run.state()).isEqualTo(RetentionRunState.RUNNING);
    }

    @Test
    void nothingToChangeEndsAtOnceAndARunIsPlannedOnce() {
        RetentionRun run = RetentionRun.pending("run-2", "cmd-2", "vm-1", T0);
        assertThat(run.plan(new RetentionWork(List.of(), List.of(), List.of(), List.of()), null, T0)).isTrue();
        assertThat(run.state()).isEqualTo(RetentionRunState.COMPLETED);
        assertThat(run.outcome("ev", T0).success()).isTrue();
        assertThatThrownBy(() -> run.plan(WORK, "host-1", T0)).isInstanceOf(IllegalStateException.class);
        assertThat(run.fail(ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "late"), T0)).isFalse();
    }

    @Test
    void silenceCountsFromTheLastReport() {
        RetentionRun run = running();
        assertThat(run.isSilent(T0.plus(Duration.ofMinutes(29)), Duration.ofMinutes(30))).isFalse();
        run.apply(report(1, RestoreJobState.RUNNING, 1, List.of()), T0.plus(Duration.ofMinutes(20)));
        assertThat(run.isSilent(T0.plus(Duration.ofMinutes(40)), Duration.ofMinutes(30))).isFalse();
        assertThat(run.isSilent(T0.plus(Duration.ofMinutes(51)), Duration.ofMinutes(30))).isTrue();
        assertThatThrownBy(() -> run.outcome("ev", T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theArtifactInDoubtIsTheFirstMergeNotReported() {
        RetentionRun run = running();
        assertThat(run.artifactInDoubt()).contains("j-3/vda");
        run.apply(report(1, RestoreJobState.RUNNING, 1, List.of()), T0);
        assertThat(run.artifactInDoubt()).contains("j-3/vda");
        run.apply(report(2, RestoreJobState.RUNNING, 2, List.of()), T0);
        assertThat(run.artifactInDoubt()).isEmpty();
    }

    @Test
    void statesMoveOnlyForward() {
        assertThat(RetentionRunState.PENDING.canMoveTo(RetentionRunState.RUNNING)).isTrue();
        assertThat(RetentionRunState.RUNNING.canMoveTo(RetentionRunState.PENDING)).isFalse();
        assertThat(RetentionRunState.COMPLETED.canMoveTo(RetentionRunState.FAILED)).isFalse();
    }
}
