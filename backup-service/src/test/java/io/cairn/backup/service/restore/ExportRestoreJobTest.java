package io.cairn.backup.service.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import io.cairn.events.event.NbdPsk;
import io.cairn.events.event.RestoreCompletedEvent;
import io.cairn.events.event.RestoreExportedEvent;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.RestoreMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An export restore's life, pure: it serves once its agent says so (restore-exported owed once), heartbeats keep it
 * alive, one end asked (a user's or its ttl's) and answered by its restore-completed, the moves RestoreState allows.
 */
class ExportRestoreJobTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration SILENCE = Duration.ofMinutes(2);
    private static final NbdEndpoint NBD = new NbdEndpoint(new BackupServer("unix", null, null, "/b/vm/.x.sock", null,
            true), List.of(new NbdExport("vda", "vda", null, null, "nbds+unix://cairn@/vda?socket=/b/vm/.x.sock")),
            new NbdPsk("cairn", "ab12"));

    private static RestoreJob export() {
        return RestoreJob.requestExport("r-1", "begin-1", "vm", "h1", "c2",
                List.of(new DiskRestorePlan("vda", List.of(), null, null)), T, Duration.ofHours(8));
    }

    private static RestoreJobReport report(long sequence, RestoreJobState state) {
        return new RestoreJobReport("r-1", "h1", "vm", sequence, state, 100, 100, List.of(), null, T, List.of(),
                state == RestoreJobState.EXPORTED ? NBD : null);
    }

    private static RestoreJob serving() {
        RestoreJob job = export();
        job.accepted(T);
        job.apply(report(0, RestoreJobState.RUNNING), T, INTERVAL);
        assertThat(job.apply(report(1, RestoreJobState.EXPORTED), T.plusSeconds(1), INTERVAL).exported()).isTrue();
        return job;
    }

    @Test
    void servesOnceItsAgentSaysSoAndHeartbeatsKeepItAlive() {
        RestoreJob job = serving();

        assertThat(job.state()).isEqualTo(RestoreState.EXPORTED);
        assertThat(job.expiresAt()).contains(T.plus(Duration.ofHours(8)));
        RestoreExportedEvent exported = job.exported("e", T, NBD);
        assertThat(exported.commandId()).as("answers the begin").isEqualTo("begin-1");
        assertThat(exported.nbd()).isEqualTo(NBD);
        assertThat(exported.expiresAt()).isEqualTo(T.plus(Duration.ofHours(8)));
        RestoreJob.ReportEffect beat = job.apply(report(2, RestoreJobState.EXPORTED), T.plus(SILENCE), INTERVAL);
        assertThat(beat.applied()).isTrue();
        assertThat(beat.exported()).as("restore-exported only once").isFalse();
        assertThat(job.isSilent(T.plus(SILENCE).plus(SILENCE), SILENCE)).isFalse();
        assertThat(job.isSilent(T.plus(SILENCE).plus(SILENCE).plusSeconds(1), SILENCE))
                .as("no heartbeat for the whole bound: lost").isTrue();
    }

    @Test
    void onlyAnExportMayServe() {
        RestoreJob copy = RestoreJob.request("r-1", "begin-1", "vm", "h1", "c2", RestoreMode.COPY,
                List.of(new DiskRestorePlan("vda", List.of(), "/b/vm/x", "qcow2")), T);

        assertThat(copy.apply(report(0, RestoreJobState.EXPORTED), T, INTERVAL).applied()).isFalse();
        assertThat(copy.state()).isEqualTo(RestoreState.STARTING);
        assertThatThrownBy(() -> copy.exported("e", T, NBD)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEndAbortsACopyWhichThenAnswersTheEndAndLeavesTheBeginToBeRefused() {
        RestoreJob copy = RestoreJob.request("r-1", "begin-1", "vm", "h1", "c2", RestoreMode.COPY,
                List.of(new DiskRestorePlan("vda", List.of(), "/b/vm/x", "qcow2")), T);
        RestoreJob verify = RestoreJob.request("v-1", "verify-1", "vm", "h1", null, RestoreMode.VERIFY,
                List.of(new DiskRestorePlan("vda", List.of(), null, null)), T);

        assertThat(verify.requestEnd("end-v", T)).as("a verify only reads").isEqualTo(EndOutcome.NOT_ABORTABLE);
        assertThat(copy.requestEnd("end-1", T)).as("a starting copy is aborted too")
                .isEqualTo(EndOutcome.SEND_TO_AGENT);
        assertThat(copy.requestEnd("end-2", T)).isEqualTo(EndOutcome.ALREADY_REQUESTED);
        assertThat(copy.apply(new RestoreJobReport("r-1", "h1", "vm", 3, RestoreJobState.FAILED, 10, 4, List.of(),
                ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_ABORTED, "operation aborted: restore r-1 was aborted by "
                        + "restore.end"), T, List.of(), null), T, INTERVAL).ended()).isTrue();

        assertThat(copy.abortedBy("end-1")).isTrue();
        RestoreCompletedEvent completed = copy.completion("e", T);
        assertThat(completed.commandId()).as("answers the end").isEqualTo("end-1");
        assertThat(completed.beginCommandId()).isEqualTo("begin-1");
        assertThat(completed.success()).isFalse();
        assertThat(completed.error().code()).isEqualTo("VIR_ERR_OPERATION_ABORTED");
        assertThat(copy.requestEnd("end-3", T)).isEqualTo(EndOutcome.ALREADY_ENDED);
    }

    @Test
    void aCopyThatCompletedBeforeItsEndAnswersItsBegin() {
        RestoreJob copy = RestoreJob.request("r-1", "begin-1", "vm", "h1", "c2", RestoreMode.COPY,
                List.of(new DiskRestorePlan("vda", List.of(), "/b/vm/x", "qcow2")), T);
        copy.requestEnd("end-1", T);
        copy.apply(report(2, RestoreJobState.COMPLETED), T, INTERVAL);

        assertThat(copy.abortedBy("end-1")).isFalse();
        RestoreCompletedEvent completed = copy.completion("e", T);
        assertThat(completed.commandId()).isEqualTo("begin-1");
        assertThat(completed.beginCommandId()).isNull();
        assertThat(completed.success()).isTrue();
    }

    @Test
    void aUsersEndIsAnsweredByTheRestoreCompleted() {
        RestoreJob job = serving();

        assertThat(job.requestEnd("end-1", T.plusSeconds(5))).isEqualTo(EndOutcome.SEND_TO_AGENT);
        assertThat(job.requestEnd("end-2", T.plusSeconds(6))).isEqualTo(EndOutcome.ALREADY_REQUESTED);
        assertThat(job.isExpired(T.plus(Duration.ofDays(1)))).as("an end is on its way already").isFalse();
        assertThat(job.apply(report(2, RestoreJobState.COMPLETED), T.plusSeconds(7), INTERVAL).ended()).isTrue();

        RestoreCompletedEvent completed = job.completion("e", T);
        assertThat(completed.commandId()).isEqualTo("end-1");
        assertThat(completed.beginCommandId()).isEqualTo("begin-1");
        assertThat(completed.mode()).isEqualTo(RestoreMode.EXPORT);
        assertThat(completed.success()).isTrue();
        assertThat(completed.disks()).isEmpty();
        assertThat(job.requestEnd("end-3", T)).isEqualTo(EndOutcome.ALREADY_ENDED);
    }

    @Test
    void itsTtlEndsItAndAUsersEndArrivingMeanwhileIsAnsweredByThatEnd() {
        RestoreJob job = serving();

        assertThat(job.isExpired(T.plus(Duration.ofHours(8)).minusSeconds(1))).isFalse();
        assertThat(job.isExpired(T.plus(Duration.ofHours(8)))).isTrue();
        assertThat(job.requestEnd(null, T.plus(Duration.ofHours(8)))).isEqualTo(EndOutcome.SEND_TO_AGENT);
        assertThat(job.isExpired(T.plus(Duration.ofHours(9)))).as("asked once").isFalse();
        assertThat(job.endOverdue(T.plus(Duration.ofHours(8)).plusSeconds(60), Duration.ofMinutes(1))).isFalse();
        assertThat(job.endOverdue(T.plus(Duration.ofHours(8)).plusSeconds(61), Duration.ofMinutes(1))).isTrue();
        assertThat(job.requestEnd("end-1", T.plus(Duration.ofHours(8)).plusSeconds(2)))
                .isEqualTo(EndOutcome.PENDING_END_ANSWERS_THIS);
        assertThat(job.requestEnd("end-2", T.plus(Duration.ofHours(8)).plusSeconds(3)))
                .isEqualTo(EndOutcome.ALREADY_REQUESTED);
        job.apply(report(2, RestoreJobState.COMPLETED), T.plus(Duration.ofHours(8)), INTERVAL);

        assertThat(job.completion("e", T).commandId()).isEqualTo("end-1");
    }

    @Test
    void anExpiredExportNobodyEndedEndsAsItsBegin() {
        RestoreJob job = serving();

        job.requestEnd(null, T.plus(Duration.ofHours(8)));
        job.apply(report(2, RestoreJobState.COMPLETED), T.plus(Duration.ofHours(8)), INTERVAL);

        RestoreCompletedEvent completed = job.completion("e", T);
        assertThat(completed.commandId()).isEqualTo("begin-1");
        assertThat(completed.beginCommandId()).isNull();
    }

    @Test
    void cannotBeEndedBeforeItServesAndARestartedAgentsLastWordEndsIt() {
        RestoreJob job = export();
        job.accepted(T);
        assertThat(job.requestEnd("end-1", T)).isEqualTo(EndOutcome.NOT_SERVING_YET);

        job.apply(report(1, RestoreJobState.EXPORTED), T, INTERVAL);
        RestoreJob.ReportEffect last = job.apply(new RestoreJobReport("r-1", "h1", "vm", RestoreJobReport.LAST_WORD,
                RestoreJobState.FAILED, 0, 0, List.of(), ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                        "agent restarted"), T), T.plusSeconds(1), INTERVAL);

        assertThat(last.ended()).isTrue();
        assertThat(job.state()).isEqualTo(RestoreState.FAILED);
        assertThat(job.completion("e", T).error().message()).contains("restarted");
        assertThat(job.apply(report(5, RestoreJobState.EXPORTED), T, INTERVAL).applied()).isFalse();
    }

    @Test
    void exportedMovesOnlyToAnEnd() {
        assertThat(RestoreState.STARTING.canMoveTo(RestoreState.EXPORTED)).isTrue();
        assertThat(RestoreState.RUNNING.canMoveTo(RestoreState.EXPORTED)).isTrue();
        assertThat(RestoreState.EXPORTED.canMoveTo(RestoreState.COMPLETED)).isTrue();
        assertThat(RestoreState.EXPORTED.canMoveTo(RestoreState.FAILED)).isTrue();
        assertThat(RestoreState.EXPORTED.canMoveTo(RestoreState.RUNNING)).isFalse();
        assertThat(RestoreState.EXPORTED.canMoveTo(RestoreState.STARTING)).isFalse();
        assertThat(RestoreState.COMPLETED.canMoveTo(RestoreState.EXPORTED)).isFalse();
        assertThat(RestoreState.EXPORTED.isTerminal()).isFalse();
    }
}
