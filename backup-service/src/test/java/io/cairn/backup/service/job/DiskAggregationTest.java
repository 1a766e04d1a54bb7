package io.cairn.backup.service.job;

import static io.cairn.events.agent.DiskJobState.CANCELLED;
import static io.cairn.events.agent.DiskJobState.CANCELLING;
import static io.cairn.events.agent.DiskJobState.COMPLETE;
import static io.cairn.events.agent.DiskJobState.FAILED;
import static io.cairn.events.agent.DiskJobState.RUNNING;
import static io.cairn.events.model.BackupMode.PULL;
import static io.cairn.events.model.BackupMode.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.DiskJobState;
import io.cairn.events.model.BackupMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** libvirt's qemuBackupNotifyBlockjobEnd rule on its own, for 1 to 3 disks in both modes. */
class DiskAggregationTest {

    static Stream<Arguments> finalStates() {
        return Stream.of(
                // mode, disk states, expected end state
                Arguments.of(PUSH, List.of(COMPLETE), JobState.COMPLETED),
                Arguments.of(PULL, List.of(COMPLETE), JobState.COMPLETED),
                Arguments.of(PUSH, List.of(FAILED), JobState.FAILED),
                Arguments.of(PULL, List.of(FAILED), JobState.FAILED),
                Arguments.of(PUSH, List.of(CANCELLED), JobState.CANCELLED),
                Arguments.of(PULL, List.of(CANCELLED), JobState.COMPLETED),
                Arguments.of(PUSH, List.of(COMPLETE, COMPLETE), JobState.COMPLETED),
                Arguments.of(PUSH, List.of(COMPLETE, CANCELLED), JobState.CANCELLED),
                Arguments.of(PULL, List.of(COMPLETE, CANCELLED), JobState.COMPLETED),
                Arguments.of(PUSH, List.of(FAILED, CANCELLED), JobState.FAILED),
                Arguments.of(PULL, List.of(CANCELLED, FAILED), JobState.FAILED),
                Arguments.of(PULL, List.of(CANCELLED, CANCELLED), JobState.COMPLETED),
                Arguments.of(PUSH, List.of(COMPLETE, COMPLETE, COMPLETE), JobState.COMPLETED),
                Arguments.of(PUSH, List.of(COMPLETE, FAILED, COMPLETE), JobState.FAILED),
                Arguments.of(PUSH, List.of(CANCELLED, COMPLETE, COMPLETE), JobState.CANCELLED),
                Arguments.of(PULL, List.of(CANCELLED, CANCELLED, CANCELLED), JobState.COMPLETED),
                Arguments.of(PULL, List.of(CANCELLED, COMPLETE, FAILED), JobState.FAILED),
                Arguments.of(PUSH, List.of(FAILED, FAILED, CANCELLED), JobState.FAILED));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("finalStates")
    void whenNoDiskRunsTheJobEndsByLibvirtsRule(BackupMode mode, List<DiskJobState> states, JobState expected) {
        DiskAggregation.Decision decision = DiskAggregation.afterDiskEnded(mode, disks(states));

        assertThat(decision.finalState()).contains(expected);
        assertThat(decision.cancel()).isEmpty();
    }

    static Stream<Arguments> stillRunning() {
        return Stream.of(
                // mode, disk states, disks to cancel
                Arguments.of(PUSH, List.of(COMPLETE, RUNNING), List.of()),
                Arguments.of(PULL, List.of(COMPLETE, RUNNING), List.of()),
                Arguments.of(PUSH, List.of(FAILED, RUNNING), List.of("vdb")),
                Arguments.of(PULL, List.of(FAILED, RUNNING), List.of("vdb")),
                Arguments.of(PUSH, List.of(CANCELLED, RUNNING), List.of("vdb")),
                Arguments.of(PULL, List.of(RUNNING, CANCELLED), List.of("vda")),
                Arguments.of(PUSH, List.of(FAILED, RUNNING, RUNNING), List.of("vdb", "vdc")),
                Arguments.of(PUSH, List.of(RUNNING, COMPLETE, RUNNING), List.of()),
                Arguments.of(PULL, List.of(RUNNING, RUNNING, FAILED), List.of("vda", "vdb")),
                // a disk already being cancelled is not cancelled twice, and the job still waits for it
                Arguments.of(PUSH, List.of(FAILED, CANCELLING, RUNNING), List.of("vdc")),
                Arguments.of(PUSH, List.of(FAILED, CANCELLING), List.of()),
                Arguments.of(PULL, List.of(CANCELLED, CANCELLING, COMPLETE), List.of()));
    }

    @ParameterizedTest(name = "{0} {1} -> cancel {2}")
    @MethodSource("stillRunning")
    void whileDisksRunTheJobWaitsAndCancelsThemAfterAFailureOrCancel(BackupMode mode, List<DiskJobState> states,
            List<String> expectedCancel) {
        DiskAggregation.Decision decision = DiskAggregation.afterDiskEnded(mode, disks(states));

        assertThat(decision.finalState()).isEqualTo(Optional.empty());
        assertThat(decision.cancel()).containsExactlyElementsOf(expectedCancel);
    }

    private static List<DiskJob> disks(List<DiskJobState> states) {
        List<DiskJob> disks = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            disks.add(new DiskJob("vd" + (char) ('a' + i), states.get(i), 0, 100, null));
        }
        return disks;
    }
}
