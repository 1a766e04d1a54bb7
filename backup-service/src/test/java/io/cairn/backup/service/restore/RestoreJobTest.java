package io.cairn.backup.service.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.RestoreMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restore's life: newer reports only, progress at most once per interval, one end, silence judged. */
class RestoreJobTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private static RestoreJob job() {
        return RestoreJob.request("r-1", "cmd-1", "vm", "h1", "c2", RestoreMode.COPY,
                List.of(new DiskRestorePlan("vda", List.of(), "/b/vm/x", "qcow2")), T);
    }

    private static RestoreJobReport report(long sequence, RestoreJobState state, long done) {
        return new RestoreJobReport("r-1", "h1", "vm", sequence, state, 100, done,
                state == RestoreJobState.COMPLETED ? List.of(new RestoredDisk("vda", "/b/vm/x", "qcow2", 1, "ab", null))
                        : List.of(), null, T);
    }

    @Test
    void reportsMoveItForwardOnlyAndEndItOnce() {
        RestoreJob job = job();

        assertThat(job.apply(report(0, RestoreJobState.RUNNING, 10), T, INTERVAL).progressDue()).isTrue();
        assertThat(job.state()).isEqualTo(RestoreState.RUNNING);
        assertThat(job.apply(report(1, RestoreJobState.RUNNING, 20), T.plusSeconds(1), INTERVAL).progressDue())
                .as("progress at most once per interval").isFalse();
        assertThat(job.apply(report(1, RestoreJobState.RUNNING, 30), T.plusSeconds(2), INTERVAL).applied())
                .as("a duplicate").isFalse();
        assertThat(job.apply(report(3, RestoreJobState.COMPLETED, 100), T.plusSeconds(3), INTERVAL).ended()).isTrue();
        assertThat(job.apply(report(4, RestoreJobState.FAILED, 100), T.plusSeconds(4), INTERVAL).applied())
                .as("nothing after the end").isFalse();
        assertThat(job.fail(ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "late"), T)).isFalse();
        assertThat(job.completion("e", T).success()).isTrue();
        assertThat(job.completion("e", T).disks()).hasSize(1);
        assertThat(job.completion("e", T).commandId()).isEqualTo("cmd-1");
    }

    @Test
    void anEndCanOvertakeTheAcceptanceAndAFailureCarriesItsError() {
        RestoreJob job = job();

        job.apply(new RestoreJobReport("r-1", "h1", "vm", 0, RestoreJobState.FAILED, 0, 0, List.of(),
                ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "damaged"), T), T, INTERVAL);

        assertThat(job.accepted(T)).isFalse();
        assertThat(job.completion("e", T).success()).isFalse();
        assertThat(job.completion("e", T).error().message()).isEqualTo("damaged");
        assertThat(job.completion("e", T).disks()).isEmpty();
    }

    @Test
    void silenceIsJudgedFromTheLastReportOrTheRequest() {
        RestoreJob job = job();
        assertThat(job.isSilent(T.plusSeconds(119), Duration.ofMinutes(2))).isFalse();
        assertThat(job.isSilent(T.plusSeconds(121), Duration.ofMinutes(2))).isTrue();
        job.accepted(T.plusSeconds(100));
        assertThat(job.isSilent(T.plusSeconds(121), Duration.ofMinutes(2))).isFalse();
    }
}
