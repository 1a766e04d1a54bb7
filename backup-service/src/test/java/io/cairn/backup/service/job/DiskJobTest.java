package io.cairn.backup.service.job;

import static io.cairn.events.agent.DiskJobState.CANCELLED;
import static io.cairn.events.agent.DiskJobState.CANCELLING;
import static io.cairn.events.agent.DiskJobState.COMPLETE;
import static io.cairn.events.agent.DiskJobState.FAILED;
import static io.cairn.events.agent.DiskJobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** libvirt's per-disk states only move forward; an ended disk never changes again. */
class DiskJobTest {
    private static final Map<DiskJobState, Set<DiskJobState>> ALLOWED = Map.of(
            RUNNING, EnumSet.of(RUNNING, COMPLETE, FAILED, CANCELLING, CANCELLED),
            CANCELLING, EnumSet.of(CANCELLING, COMPLETE, FAILED, CANCELLED),
            COMPLETE, EnumSet.noneOf(DiskJobState.class),
            FAILED, EnumSet.noneOf(DiskJobState.class),
            CANCELLED, EnumSet.noneOf(DiskJobState.class));

    static Stream<Arguments> everyPair() {
        return Stream.of(DiskJobState.values())
                .flatMap(from -> Stream.of(DiskJobState.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void movesOnlyForward(DiskJobState from, DiskJobState to) {
        boolean allowed = ALLOWED.get(from).contains(to);
        DiskJob disk = new DiskJob("vda", from, 10, 100, null);

        DiskJob after = disk.advance(new DiskJobReport("vda", to, 50, 100, null));

        assertThat(DiskJob.canMove(from, to)).isEqualTo(allowed);
        if (allowed) {
            assertThat(after).isEqualTo(new DiskJob("vda", to, 50, 100, null));
        } else {
            assertThat(after).isSameAs(disk);
        }
    }

    @Test
    void cancellingKeepsProgressAndCountsAsActive() {
        DiskJob cancelling = new DiskJob("vdb", RUNNING, 30, 100, null).cancelling();

        assertThat(cancelling).isEqualTo(new DiskJob("vdb", CANCELLING, 30, 100, null));
        assertThat(cancelling.isActive()).isTrue();
        assertThat(new DiskJob("vdb", CANCELLED, 30, 100, null).isActive()).isFalse();
    }
}
