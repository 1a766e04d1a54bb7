package io.cairn.backup.service.job;

import static io.cairn.backup.service.job.JobState.CANCELLED;
import static io.cairn.backup.service.job.JobState.COMPLETED;
import static io.cairn.backup.service.job.JobState.FAILED;
import static io.cairn.backup.service.job.JobState.QUEUED;
import static io.cairn.backup.service.job.JobState.RUNNING;
import static io.cairn.backup.service.job.JobState.STARTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The job lifecycle allows exactly the documented moves, for every pair of states. */
class JobStateTest {
    private static final Map<JobState, Set<JobState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(STARTING, FAILED, CANCELLED),
            STARTING, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.noneOf(JobState.class),
            CANCELLED, EnumSet.noneOf(JobState.class));

    static Stream<Arguments> everyPair() {
        return Stream.of(JobState.values())
                .flatMap(from -> Stream.of(JobState.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void allowsExactlyTheDocumentedMoves(JobState from, JobState to) {
        boolean allowed = ALLOWED.get(from).contains(to);

        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
        if (allowed) {
            assertThat(from.requireMoveTo(to)).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> from.requireMoveTo(to))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a backup job cannot move from " + from + " to " + to);
        }
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void terminalStatesAreFinal(JobState terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        assertThat(terminal.successors()).isEmpty();
        assertThat(terminal.holdsSlot()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"QUEUED", "STARTING", "RUNNING"})
    void activeStatesAreNotTerminal(JobState active) {
        assertThat(active.isTerminal()).isFalse();
        assertThat(active.canMoveTo(active)).as("no self loop").isFalse();
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void onlyJobsWithAnAgentHoldASlot(JobState state) {
        assertThat(state.holdsSlot()).isEqualTo(state == STARTING || state == RUNNING);
    }
}
