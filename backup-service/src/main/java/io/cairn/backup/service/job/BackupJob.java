package io.cairn.backup.service.job;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.CheckpointDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup job with libvirt's semantics: a validated lifecycle, per-disk states aggregated by libvirt's rule, the
 * first error kept, statistics, and bounded lifetimes. Pure and in memory, so every rule is testable without Kafka
 * or a database; time always comes in as an argument.
 */
public final class BackupJob {
    private final String jobId;
    private final String domain;
    private final String hostId;
    private final String commandId;
    private final BackupMode mode;
    private final BackupDefinition definition;
    private final CheckpointDefinition checkpoint;
    private final boolean reuseExternal;
    private final Instant requestedAt;
    private final Map<String, DiskJob> disks = new LinkedHashMap<>();
    private JobState state;
    private String firstError;
    private BackupStatistics statistics;
    private Instant startedAt;
    private Instant endedAt;
    private Instant lastReportAt;
    private Long lastSequence;
    private Instant abortRequested;
    private Instant lastProgressAt;
    private String abortCommandId;

    private BackupJob(BackupJobSnapshot s) {
        this.jobId = Objects.requireNonNull(s.jobId(), "jobId");
        this.domain = Objects.requireNonNull(s.domain(), "domain");
        this.hostId = Objects.requireNonNull(s.hostId(), "hostId");
        this.commandId = Objects.requireNonNull(s.commandId(), "commandId");
        this.mode = Objects.requireNonNull(s.mode(), "mode");
        this.definition = Objects.requireNonNull(s.definition(), "definition");
        this.checkpoint = s.checkpoint();
        this.reuseExternal = s.reuseExternal();
        this.requestedAt = Objects.requireNonNull(s.requestedAt(), "requestedAt");
        this.state = Objects.requireNonNull(s.state(), "state");
        s.disks().forEach(disk -> disks.put(disk.disk(), disk));
        this.firstError = s.firstError();
        this.statistics = s.statistics();
        this.startedAt = s.startedAt();
        this.endedAt = s.endedAt();
        this.lastReportAt = s.lastReportAt();
        this.lastSequence = s.lastSequence();
        this.abortRequested = s.abortRequested();
        this.lastProgressAt = s.lastProgressAt();
        this.abortCommandId = s.abortCommandId();
        if (state.holdsSlot() && startedAt == null) {
            throw new IllegalArgumentException("job " + jobId + " is " + state + " but has no start time");
        }
        if (state.isTerminal() != (endedAt != null)) {
            throw new IllegalArgumentException("job " + jobId + " is " + state + " with end time " + endedAt);
        }
    }

    /** A new job waiting for admission. */
    public static BackupJob queue(JobRequest request, Instant now) {
        BackupMode mode = request.definition().mode() == null ? BackupMode.PUSH : request.definition().mode();
        return new BackupJob(new BackupJobSnapshot(request.jobId(), request.domain(), request.hostId(),
                request.commandId(), mode, request.definition(), request.checkpoint(), request.reuseExternal(),
                JobState.QUEUED, List.of(), null, null, now, null, null, null, null, null, null));
    }

    /** Rebuilds a stored job. */
    public static BackupJob restore(BackupJobSnapshot snapshot) {
        return new BackupJob(snapshot);
    }

    public BackupJobSnapshot snapshot() {
        return new BackupJobSnapshot(jobId, domain, hostId, commandId, mode, definition, checkpoint, reuseExternal,
                state, List.copyOf(disks.values()), firstError, statistics, requestedAt, startedAt, endedAt,
                lastReportAt, lastSequence, abortRequested, lastProgressAt, abortCommandId);
    }

    /** The job left the queue: its start request goes to the agent now. */
    public TransitionOutcome start(Instant now) {
        if (state.isTerminal()) {
            return TransitionOutcome.ALREADY_ENDED;
        }
        state = state.requireMoveTo(JobState.STARTING);
        startedAt = now;
        statistics = currentStatistics(now);
        return TransitionOutcome.APPLIED;
    }

    /**
     * The agent's answer to the start request. A refusal (bitmap chain broken, store exists, ...) fails the job with
     * the agent's libvirt message; an acceptance only proves the agent alive, the job reports tell the rest.
     */
    public ReportOutcome applyStartResult(AgentResult result, Instant now) {
        if (state.isTerminal()) {
            return ReportOutcome.ignored(ReportVerdict.IGNORED_JOB_ENDED);
        }
        if (state == JobState.QUEUED) {
            return ReportOutcome.ignored(ReportVerdict.IGNORED_NOT_STARTED);
        }
        lastReportAt = now;
        if (result.success()) {
            return new ReportOutcome(ReportVerdict.APPLIED, false, false, List.of());
        }
        String message = result.error() == null ? "host agent refused to start the backup" : result.error().message();
        keepFirstError(message);
        end(JobState.FAILED, now);
        return new ReportOutcome(ReportVerdict.APPLIED, false, true, List.of());
    }

    /** Applies one agent report: stale, duplicate, foreign and late reports change nothing and say why. */
    public ReportOutcome apply(BackupJobReport report, Instant now) {
        if (state.isTerminal()) {
            return ReportOutcome.ignored(ReportVerdict.IGNORED_JOB_ENDED);
        }
        if (!jobId.equals(report.jobId())) {
            return ReportOutcome.ignored(ReportVerdict.IGNORED_OTHER_JOB);
        }
        if (state == JobState.QUEUED) {
            return ReportOutcome.ignored(ReportVerdict.IGNORED_NOT_STARTED);
        }
        if (lastSequence != null && report.sequence() <= lastSequence) {
            return ReportOutcome.ignored(ReportVerdict.IGNORED_STALE_SEQUENCE);
        }
        lastSequence = report.sequence();
        lastReportAt = now;

        boolean started = false;
        if (state == JobState.STARTING && reportShowsQemuJobs(report)) {
            state = state.requireMoveTo(JobState.RUNNING);
            started = true;
        }
        boolean anyDiskEnded = applyDisks(report);
        List<String> toCancel = List.of();
        if (anyDiskEnded) {
            DiskAggregation.Decision decision = DiskAggregation.afterDiskEnded(mode, disks.values());
            toCancel = decision.cancel();
            toCancel.forEach(disk -> disks.computeIfPresent(disk, (name, job) -> job.cancelling()));
            decision.finalState().ifPresent(finalState -> end(finalState, now));
        }
        if (!state.isTerminal() && report.state().isTerminal()) {
            endAsAgentSays(report, now);
        }
        if (!state.isTerminal()) {
            statistics = currentStatistics(now);
        }
        return new ReportOutcome(ReportVerdict.APPLIED, started, state.isTerminal(), toCancel);
    }

    /**
     * The user (or the pull time-to-live) wants the job ended. A queued job ends at once; a started one needs its
     * agent to stop QEMU's jobs, and the agent's report then ends it by libvirt's rule.
     */
    public AbortOutcome abort(Instant now) {
        return abort(now, null);
    }

    /**
     * A user's abort: the first one that ends the job is the command its backup-completed answers (a later abort of
     * the same job has nothing left to do and is told so).
     */
    public AbortOutcome abort(Instant now, String commandId) {
        if (state.isTerminal()) {
            return AbortOutcome.ALREADY_ENDED;
        }
        if (abortRequested != null) {
            if (abortCommandId == null && commandId != null) {
                abortCommandId = commandId; // the pull time-to-live asked first; this user's abort gets the answer
                return AbortOutcome.ALREADY_REQUESTED_ANSWERS_THIS;
            }
            return AbortOutcome.ALREADY_REQUESTED;
        }
        abortCommandId = commandId;
        if (state == JobState.QUEUED) {
            end(JobState.CANCELLED, now);
            return AbortOutcome.CANCELLED_BEFORE_START;
        }
        abortRequested = now;
        return AbortOutcome.SEND_ABORT_TO_AGENT;
    }

    /** The backup.abort command the job's backup-completed answers, if a user's abort ends it. */
    public Optional<String> abortCommandId() {
        return Optional.ofNullable(abortCommandId);
    }

    /** Fails the job for a reason found by the service (agent silent, host lost, start refused). */
    public TransitionOutcome fail(String error, Instant now) {
        if (state.isTerminal()) {
            return TransitionOutcome.ALREADY_ENDED;
        }
        keepFirstError(error);
        end(JobState.FAILED, now);
        return TransitionOutcome.APPLIED;
    }

    /** Cancels the job without its agent, e.g. because its domain stopped (libvirt cancels the backup then). */
    public TransitionOutcome cancel(Instant now) {
        if (state.isTerminal()) {
            return TransitionOutcome.ALREADY_ENDED;
        }
        end(JobState.CANCELLED, now);
        return TransitionOutcome.APPLIED;
    }

    /**
     * Applies the lifetime bounds at {@code now}: a silent agent fails the job; an expired pull job is marked for
     * abort (once) and the caller sends the abort.
     */
    public DeadlineVerdict enforceDeadlines(Instant now, JobLifetimes lifetimes) {
        return enforceDeadlines(now, lifetimes, now, null);
    }

    /**
     * @param hostLastSeen   when the job's host last published its inventory (null: never). A silent job whose agent
     *                       is alive has been lost by it and fails after the silence bound; one whose agent is not
     *                       alive (killed, restarting) waits up to the host-lost bound, so that the agent can come back
     *                       and report QEMU's own verdict instead of Cairn guessing one.
     * @param agentStartedAt when the agent now publishing that inventory started (null: unknown): an agent back from a
     *                       restart is given the silence bound from its start to adopt the job and report it
     */
    public DeadlineVerdict enforceDeadlines(Instant now, JobLifetimes lifetimes, Instant hostLastSeen,
            Instant agentStartedAt) {
        Optional<Instant> silenceDeadline = agentSilenceDeadline(lifetimes);
        if (silenceDeadline.isPresent() && now.isAfter(silenceDeadline.get())) {
            Instant heardOf = lastReportAt == null ? startedAt : lastReportAt;
            Duration silent = Duration.between(heardOf, now);
            boolean agentAlive = hostLastSeen != null && hostLastSeen.isAfter(now.minus(lifetimes.agentAlive()));
            boolean agentHadTime = agentStartedAt == null
                    || now.isAfter(agentStartedAt.plus(lifetimes.agentSilence()));
            if (agentAlive && agentHadTime) {
                fail("host agent on " + hostId + " sent no report for " + silent.toSeconds() + "s", now);
                return DeadlineVerdict.FAILED_AGENT_SILENT;
            }
            if (!agentAlive && now.isAfter(heardOf.plus(lifetimes.hostLost()))) {
                fail("host agent on " + hostId + " unreachable for " + silent.toSeconds() + "s; the job's outcome on "
                        + "the host is unknown", now);
                return DeadlineVerdict.FAILED_AGENT_SILENT;
            }
            return DeadlineVerdict.NONE;
        }
        Optional<Instant> expiry = pullExpiry(lifetimes);
        if (expiry.isPresent() && abortRequested == null && !now.isBefore(expiry.get())) {
            abortRequested = now;
            return DeadlineVerdict.ABORT_PULL_EXPIRED;
        }
        return DeadlineVerdict.NONE;
    }

    /** When the agent's silence fails this job; empty unless the job is with an agent. */
    public Optional<Instant> agentSilenceDeadline(JobLifetimes lifetimes) {
        if (!state.holdsSlot()) {
            return Optional.empty();
        }
        Instant heardOf = lastReportAt == null ? startedAt : lastReportAt;
        return Optional.of(heardOf.plus(lifetimes.agentSilence()));
    }

    /** When this pull job must be aborted; empty for push jobs and jobs not with an agent. */
    public Optional<Instant> pullExpiry(JobLifetimes lifetimes) {
        if (mode != BackupMode.PULL || !state.holdsSlot()) {
            return Optional.empty();
        }
        return Optional.of(startedAt.plus(lifetimes.pullTimeToLive()));
    }

    /** Whether a backup-progress event may be published now without flooding the events topic. */
    public boolean isProgressDue(Instant now, Duration minInterval) {
        return state == JobState.RUNNING && (lastProgressAt == null || !now.isBefore(lastProgressAt.plus(minInterval)));
    }

    public void progressPublished(Instant now) {
        lastProgressAt = now;
    }

    /** libvirt's job-completed verdict; empty while the job has not ended. */
    public Optional<CompletionSummary> completion() {
        if (!state.isTerminal()) {
            return Optional.empty();
        }
        BackupCompletionStatus status = switch (state) {
            case COMPLETED -> BackupCompletionStatus.COMPLETED;
            case FAILED -> BackupCompletionStatus.FAILED;
            default -> BackupCompletionStatus.CANCELLED;
        };
        return Optional.of(new CompletionSummary(status, state == JobState.COMPLETED, firstError, statistics));
    }

    private static boolean reportShowsQemuJobs(BackupJobReport report) {
        // The agent sends STARTING before QEMU's transaction and a pull's exports, listing disks that have no job
        // yet: backup-started (libvirt's begin returning) must wait until a client could connect.
        if (report.state() == BackupJobState.STARTING) {
            return false;
        }
        return !report.disks().isEmpty() || report.state() == BackupJobState.RUNNING
                || report.state() == BackupJobState.COMPLETED;
    }

    /** Updates the disks; true when at least one of them ended with this report. */
    private boolean applyDisks(BackupJobReport report) {
        boolean anyEnded = false;
        for (DiskJobReport diskReport : report.disks()) {
            DiskJob before = disks.get(diskReport.disk());
            DiskJob after = before == null ? DiskJob.from(diskReport) : before.advance(diskReport);
            disks.put(after.disk(), after);
            boolean ended = (before == null || before.isActive()) && !after.isActive();
            if (ended) {
                anyEnded = true;
                if (after.state() == DiskJobState.FAILED) {
                    keepFirstError(firstNonNull(after.error(), report.error(),
                            "backup of disk " + after.disk() + " failed"));
                } else {
                    keepFirstError(after.error());
                }
            }
        }
        return anyEnded;
    }

    /**
     * The agent says QEMU's job is gone although the disks did not all end (domain destroyed, start failed before
     * any disk ran). Its word is taken, except that "completed" is never claimed while a disk's data is unfinished.
     */
    private void endAsAgentSays(BackupJobReport report, Instant now) {
        List<String> unfinished = disks.values().stream().filter(DiskJob::isActive).map(DiskJob::disk).toList();
        switch (report.state()) {
            case COMPLETED -> {
                if (unfinished.isEmpty()) {
                    end(JobState.COMPLETED, now);
                } else {
                    keepFirstError("host agent reported the backup completed while disks " + unfinished
                            + " had not finished");
                    end(JobState.FAILED, now);
                }
            }
            case FAILED -> {
                keepFirstError(firstNonNull(report.error(), "backup job failed on host " + hostId, null));
                end(JobState.FAILED, now);
            }
            default -> {
                keepFirstError(report.error());
                end(JobState.CANCELLED, now);
            }
        }
    }

    private void end(JobState finalState, Instant now) {
        if (state == JobState.STARTING && finalState == JobState.COMPLETED) {
            // A job can only have completed if it ran: pass through RUNNING so the lifecycle stays honest.
            state = state.requireMoveTo(JobState.RUNNING);
        }
        state = state.requireMoveTo(finalState);
        endedAt = now;
        statistics = currentStatistics(now);
    }

    private BackupStatistics currentStatistics(Instant now) {
        Duration elapsed = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now);
        return JobStatistics.of(mode, disks.values(), elapsed);
    }

    private void keepFirstError(String error) {
        if (firstError == null && error != null && !error.isBlank()) {
            firstError = error;
        }
    }

    private static String firstNonNull(String first, String second, String third) {
        return first != null ? first : second != null ? second : third;
    }

    public String jobId() {
        return jobId;
    }

    public String domain() {
        return domain;
    }

    public String hostId() {
        return hostId;
    }

    public String commandId() {
        return commandId;
    }

    public BackupMode mode() {
        return mode;
    }

    public BackupDefinition definition() {
        return definition;
    }

    public CheckpointDefinition checkpoint() {
        return checkpoint;
    }

    public boolean reuseExternal() {
        return reuseExternal;
    }

    public JobState state() {
        return state;
    }

    public Collection<DiskJob> disks() {
        return Collections.unmodifiableCollection(disks.values());
    }

    public Optional<DiskJob> disk(String name) {
        return Optional.ofNullable(disks.get(name));
    }

    public Optional<String> firstError() {
        return Optional.ofNullable(firstError);
    }

    public BackupStatistics statistics() {
        return statistics;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    public Optional<Instant> startedAt() {
        return Optional.ofNullable(startedAt);
    }

    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    public Optional<Instant> lastReportAt() {
        return Optional.ofNullable(lastReportAt);
    }

    public Optional<Long> lastSequence() {
        return Optional.ofNullable(lastSequence);
    }

    public Optional<Instant> abortRequested() {
        return Optional.ofNullable(abortRequested);
    }
}
