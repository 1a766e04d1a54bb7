package io.cairn.backup.service.restore;

import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.RestoreCompletedEvent;
import io.cairn.events.event.RestoreExportedEvent;
import io.cairn.events.event.RestoreProgressEvent;
import io.cairn.events.event.ArtifactVerdict;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.event.VerifyCompletedEvent;
import io.cairn.events.model.RestoreMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One restore and the rules of its life, pure: which reports count (newer sequence only, nothing after the end),
 * when progress is due, and the one completion it ends with. The store loads it, applies a change and saves it.
 */
public final class RestoreJob {

    /** What applying a report did; {@code exported}: an export serves now, its restore-exported is owed. */
    public record ReportEffect(boolean applied, boolean ended, boolean progressDue, boolean exported) {
        static final ReportEffect IGNORED = new ReportEffect(false, false, false, false);

        ReportEffect(boolean applied, boolean ended, boolean progressDue) {
            this(applied, ended, progressDue, false);
        }
    }

    private final String restoreId;
    private final String commandId;
    private final String domain;
    private final String hostId;
    private final String checkpoint;
    private final RestoreMode mode;
    private final List<DiskRestorePlan> plan;
    private final Instant requestedAt;
    private RestoreState state;
    private long bytesTotal;
    private long bytesDone;
    private long lastSequence;
    private List<RestoredDisk> result;
    private List<ArtifactVerdict> verdicts;
    private ErrorInfo error;
    private Instant lastReportAt;
    private Instant progressPublishedAt;
    private Instant endedAt;
    /** An export's end of life (its ttl from the request); null for everything else. */
    private final Instant expiresAt;
    /** The restore.end that asked an export to end; null when none did (or the service's ttl did). */
    private String endCommandId;
    /** When an end (a user's or the ttl's) was asked of the agent; null while none was. */
    private Instant endRequestedAt;
    /** A register's pull backup job, whose outputs it digests; null for everything else. */
    private final String registeredJobId;

    @SuppressWarnings("checkstyle:ParameterNumber")
    public RestoreJob(String restoreId, String commandId, String domain, String hostId, String checkpoint,
            RestoreMode mode, List<DiskRestorePlan> plan, Instant requestedAt, RestoreState state, long bytesTotal,
            long bytesDone, long lastSequence, List<RestoredDisk> result, List<ArtifactVerdict> verdicts,
            ErrorInfo error, Instant lastReportAt, Instant progressPublishedAt, Instant endedAt) {
        this(restoreId, commandId, domain, hostId, checkpoint, mode, plan, requestedAt, state, bytesTotal, bytesDone,
                lastSequence, result, verdicts, error, lastReportAt, progressPublishedAt, endedAt, null, null, null);
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    public RestoreJob(String restoreId, String commandId, String domain, String hostId, String checkpoint,
            RestoreMode mode, List<DiskRestorePlan> plan, Instant requestedAt, RestoreState state, long bytesTotal,
            long bytesDone, long lastSequence, List<RestoredDisk> result, List<ArtifactVerdict> verdicts,
            ErrorInfo error, Instant lastReportAt, Instant progressPublishedAt, Instant endedAt, Instant expiresAt,
            String endCommandId, Instant endRequestedAt) {
        this(restoreId, commandId, domain, hostId, checkpoint, mode, plan, requestedAt, state, bytesTotal, bytesDone,
                lastSequence, result, verdicts, error, lastReportAt, progressPublishedAt, endedAt, expiresAt,
                endCommandId, endRequestedAt, null);
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    public RestoreJob(String restoreId, String commandId, String domain, String hostId, String checkpoint,
            RestoreMode mode, List<DiskRestorePlan> plan, Instant requestedAt, RestoreState state, long bytesTotal,
            long bytesDone, long lastSequence, List<RestoredDisk> result, List<ArtifactVerdict> verdicts,
            ErrorInfo error, Instant lastReportAt, Instant progressPublishedAt, Instant endedAt, Instant expiresAt,
            String endCommandId, Instant endRequestedAt, String registeredJobId) {
        this.registeredJobId = registeredJobId;
        this.restoreId = Objects.requireNonNull(restoreId);
        this.commandId = Objects.requireNonNull(commandId);
        this.domain = Objects.requireNonNull(domain);
        this.hostId = Objects.requireNonNull(hostId);
        this.checkpoint = checkpoint; // null for a verify of every artifact of the domain
        this.mode = Objects.requireNonNull(mode);
        this.plan = List.copyOf(plan);
        this.requestedAt = Objects.requireNonNull(requestedAt);
        this.state = Objects.requireNonNull(state);
        this.bytesTotal = bytesTotal;
        this.bytesDone = bytesDone;
        this.lastSequence = lastSequence;
        this.result = result == null ? List.of() : List.copyOf(result);
        this.verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
        this.error = error;
        this.lastReportAt = lastReportAt;
        this.progressPublishedAt = progressPublishedAt;
        this.endedAt = endedAt;
        this.expiresAt = expiresAt;
        this.endCommandId = endCommandId;
        this.endRequestedAt = endRequestedAt;
    }

    /** A new restore, planned and about to be asked of its agent. */
    public static RestoreJob request(String restoreId, String commandId, String domain, String hostId,
            String checkpoint, RestoreMode mode, List<DiskRestorePlan> plan, Instant now) {
        return new RestoreJob(restoreId, commandId, domain, hostId, checkpoint, mode, plan, now,
                RestoreState.STARTING, 0, 0, -1, List.of(), List.of(), null, null, null, null);
    }

    /** A new export restore, to serve until {@code ttl} after now unless a restore.end comes first. */
    public static RestoreJob requestExport(String restoreId, String commandId, String domain, String hostId,
            String checkpoint, List<DiskRestorePlan> plan, Instant now, Duration ttl) {
        return new RestoreJob(restoreId, commandId, domain, hostId, checkpoint, RestoreMode.EXPORT, plan, now,
                RestoreState.STARTING, 0, 0, -1, List.of(), List.of(), null, null, null, null, now.plus(ttl), null,
                null);
    }

    /** A new register: the agent checks and digests the outputs of pull job {@code jobId} ({@code plan}). */
    public static RestoreJob requestRegister(String restoreId, String commandId, String domain, String hostId,
            String checkpoint, String jobId, List<DiskRestorePlan> plan, Instant now) {
        return new RestoreJob(restoreId, commandId, domain, hostId, checkpoint, RestoreMode.REGISTER, plan, now,
                RestoreState.STARTING, 0, 0, -1, List.of(), List.of(), null, null, null, null, null, null, null,
                Objects.requireNonNull(jobId));
    }

    /** The agent accepted it; true if that moved it (a report may have moved it further already). */
    public boolean accepted(Instant now) {
        if (state != RestoreState.STARTING) {
            return false;
        }
        state = RestoreState.RUNNING;
        lastReportAt = now;
        return true;
    }

    /** Fails it unless it has ended already; true when this ended it (its completion is then owed). */
    public boolean fail(ErrorInfo why, Instant now) {
        if (state.isTerminal()) {
            return false;
        }
        move(RestoreState.FAILED);
        error = why;
        endedAt = now;
        return true;
    }

    /** Applies the agent's report if it is newer than the last one and the restore has not ended. */
    public ReportEffect apply(RestoreJobReport report, Instant now, Duration progressInterval) {
        if (state.isTerminal() || report.sequence() <= lastSequence) {
            return ReportEffect.IGNORED;
        }
        lastSequence = report.sequence();
        lastReportAt = now;
        bytesTotal = report.bytesTotal();
        bytesDone = report.bytesDone();
        if (report.state() == RestoreJobState.RUNNING) {
            if (state == RestoreState.STARTING) {
                move(RestoreState.RUNNING);
            }
            boolean due = progressPublishedAt == null || !now.isBefore(progressPublishedAt.plus(progressInterval));
            if (due) {
                progressPublishedAt = now;
            }
            return new ReportEffect(true, false, due);
        }
        if (report.state() == RestoreJobState.EXPORTED) {
            if (mode != RestoreMode.EXPORT) {
                return ReportEffect.IGNORED; // only an export serves; anything else saying so is not believed
            }
            if (state == RestoreState.EXPORTED) {
                return new ReportEffect(true, false, false); // its heartbeat: still serving
            }
            move(RestoreState.EXPORTED);
            return new ReportEffect(true, false, false, true);
        }
        if (report.state() == RestoreJobState.COMPLETED) {
            move(RestoreState.COMPLETED);
            result = report.disks();
            verdicts = report.verdicts();
        } else {
            move(RestoreState.FAILED);
            error = report.error() != null ? report.error() : ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                    "operation failed: the restore failed on host " + hostId);
        }
        endedAt = now;
        return new ReportEffect(true, true, false);
    }

    /**
     * Whether the restore has gone unheard for too long: a running one whose agent stopped reporting (it reports
     * at least every few seconds while it works, an export every heartbeat while it serves), or one its agent never
     * accepted.
     */
    public boolean isSilent(Instant now, Duration silence) {
        if (state.isTerminal()) {
            return false;
        }
        Instant heard = lastReportAt != null ? lastReportAt : requestedAt;
        return now.isAfter(heard.plus(silence));
    }

    /**
     * Asks a restore to end: an export to stop serving, by a user's restore.end ({@code endCommand}) or by the
     * service at its ttl (null), once it serves; a copy or thin restore to abort, by a user's restore.end, while it
     * runs. A user's end arriving after the ttl's is answered by that same end. A verify or a register only reads and
     * ends on its own.
     */
    public EndOutcome requestEnd(String endCommand, Instant now) {
        if (mode == RestoreMode.VERIFY || mode == RestoreMode.REGISTER) {
            return EndOutcome.NOT_ABORTABLE;
        }
        if (state.isTerminal()) {
            return EndOutcome.ALREADY_ENDED;
        }
        if (mode != RestoreMode.EXPORT) {
            if (endRequestedAt != null) {
                return EndOutcome.ALREADY_REQUESTED;
            }
            endCommandId = Objects.requireNonNull(endCommand, "only a user's restore.end aborts a restore");
            endRequestedAt = now;
            return EndOutcome.SEND_TO_AGENT;
        }
        if (state != RestoreState.EXPORTED) {
            return EndOutcome.NOT_SERVING_YET;
        }
        if (endRequestedAt != null) {
            if (endCommandId == null && endCommand != null) {
                endCommandId = endCommand;
                return EndOutcome.PENDING_END_ANSWERS_THIS;
            }
            return EndOutcome.ALREADY_REQUESTED;
        }
        endCommandId = endCommand;
        endRequestedAt = now;
        return EndOutcome.SEND_TO_AGENT;
    }

    /**
     * Whether restore.end {@code endCommand} aborted this copy or thin restore: it ended without its images after
     * the end was asked. Its restore-completed then answers the end, and its begin is refused with its error (as a
     * backup cancelled in the queue refuses its begin). One that completed first answers its begin as usual, and the
     * end is refused: there was nothing left to abort.
     */
    public boolean abortedBy(String endCommand) {
        return mode != RestoreMode.EXPORT && state == RestoreState.FAILED && endCommand.equals(endCommandId);
    }

    /** An export past its ttl that nothing has asked to end yet. */
    public boolean isExpired(Instant now) {
        return state == RestoreState.EXPORTED && endRequestedAt == null && expiresAt != null
                && !now.isBefore(expiresAt);
    }

    /** An export whose end was asked at least {@code patience} ago and which still serves: ask its agent again. */
    public boolean endOverdue(Instant now, Duration patience) {
        return state == RestoreState.EXPORTED && endRequestedAt != null && now.isAfter(endRequestedAt.plus(patience));
    }

    /** Asked again: the next retry waits a whole patience from now. */
    public void endAskedAgain(Instant now) {
        endRequestedAt = now;
    }

    /** The begin's outcome for an export that serves: where to connect, as its agent reported it. */
    public RestoreExportedEvent exported(String eventId, Instant now, NbdEndpoint nbd) {
        if (mode != RestoreMode.EXPORT || state != RestoreState.EXPORTED) {
            throw new IllegalStateException("restore " + restoreId + " does not serve");
        }
        return new RestoreExportedEvent(eventId, now, domain, commandId, restoreId, checkpoint, hostId, expiresAt,
                nbd);
    }

    public RestoreCompletedEvent completion(String eventId, Instant now) {
        if (!state.isTerminal()) {
            throw new IllegalStateException("restore " + restoreId + " has not ended");
        }
        // An export ended by restore.end answers that command (the begin was answered by restore-exported), and so
        // does a copy or thin restore it aborted (the begin is refused); any other restore answers its begin.
        boolean answersEnd = endCommandId != null && (mode == RestoreMode.EXPORT || abortedBy(endCommandId));
        return new RestoreCompletedEvent(eventId, now, domain, answersEnd ? endCommandId : commandId, restoreId,
                checkpoint, hostId, mode, state == RestoreState.COMPLETED, error,
                state == RestoreState.COMPLETED ? result : List.of(), answersEnd ? commandId : null);
    }

    /** The same completion answering the begin, for when the end it would answer was answered otherwise. */
    public RestoreCompletedEvent completionOfBegin(String eventId, Instant now) {
        RestoreCompletedEvent completed = completion(eventId, now);
        return new RestoreCompletedEvent(completed.eventId(), now, domain, commandId, restoreId, checkpoint, hostId,
                mode, completed.success(), completed.error(), completed.disks());
    }

    /** A verify's outcome: every artifact's verdict (named by the catalog), success only if all are intact. */
    public VerifyCompletedEvent verifyCompletion(String eventId, Instant now, List<ArtifactVerdict> named) {
        if (!state.isTerminal() || mode != RestoreMode.VERIFY) {
            throw new IllegalStateException("verify " + restoreId + " has not ended");
        }
        boolean intact = state == RestoreState.COMPLETED && named.stream().allMatch(ArtifactVerdict::intact);
        return new VerifyCompletedEvent(eventId, now, domain, commandId, restoreId, hostId, checkpoint, intact, error,
                named);
    }

    public List<ArtifactVerdict> verdicts() {
        return verdicts;
    }

    public RestoreProgressEvent progress(String eventId, Instant now) {
        return new RestoreProgressEvent(eventId, now, domain, commandId, restoreId, bytesTotal, bytesDone);
    }

    private void move(RestoreState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("restore " + restoreId + " cannot move from " + state + " to " + next);
        }
        state = next;
    }

    public String restoreId() {
        return restoreId;
    }

    public String commandId() {
        return commandId;
    }

    public String domain() {
        return domain;
    }

    public String hostId() {
        return hostId;
    }

    public String checkpoint() {
        return checkpoint;
    }

    public RestoreMode mode() {
        return mode;
    }

    public List<DiskRestorePlan> plan() {
        return plan;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    public RestoreState state() {
        return state;
    }

    public long bytesTotal() {
        return bytesTotal;
    }

    public long bytesDone() {
        return bytesDone;
    }

    public long lastSequence() {
        return lastSequence;
    }

    public List<RestoredDisk> result() {
        return result;
    }

    public Optional<ErrorInfo> error() {
        return Optional.ofNullable(error);
    }

    public Optional<Instant> lastReportAt() {
        return Optional.ofNullable(lastReportAt);
    }

    public Optional<Instant> progressPublishedAt() {
        return Optional.ofNullable(progressPublishedAt);
    }

    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    public Optional<String> endCommandId() {
        return Optional.ofNullable(endCommandId);
    }

    public Optional<Instant> endRequestedAt() {
        return Optional.ofNullable(endRequestedAt);
    }

    public Optional<String> registeredJobId() {
        return Optional.ofNullable(registeredJobId);
    }
}
