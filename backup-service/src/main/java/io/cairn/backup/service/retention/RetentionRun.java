package io.cairn.backup.service.retention;

import io.cairn.events.agent.MergedFile;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RetentionJobReport;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.MergedArtifactEntry;
import io.cairn.events.event.PrunedArtifactEntry;
import io.cairn.events.event.RetentionAppliedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One retention run and the rules of its life, pure: planned once, then each newer report adds the steps its agent
 * finished (which the catalog must follow), and it ends once with one {@code retention-applied}.
 */
public final class RetentionRun {

    /** What a report newly finished: the catalog applies exactly these. */
    public record ReportEffect(List<MergedArtifactEntry> newlyMerged, List<PrunedArtifactEntry> newlyDeleted,
            boolean ended) {
        static final ReportEffect IGNORED = new ReportEffect(List.of(), List.of(), false);
    }

    private final String runId;
    private final String commandId;
    private final String domain;
    private final Instant requestedAt;
    private String hostId;
    private RetentionRunState state;
    private RetentionWork work;
    private final List<MergedArtifactEntry> merged;
    private final List<PrunedArtifactEntry> deleted;
    private ErrorInfo error;
    private long lastSequence;
    private Instant lastReportAt;
    private Instant endedAt;

    @SuppressWarnings("checkstyle:ParameterNumber")
    public RetentionRun(String runId, String commandId, String domain, String hostId, RetentionRunState state,
            RetentionWork work, List<MergedArtifactEntry> merged, List<PrunedArtifactEntry> deleted, ErrorInfo error,
            long lastSequence, Instant requestedAt, Instant lastReportAt, Instant endedAt) {
        this.runId = Objects.requireNonNull(runId);
        this.commandId = Objects.requireNonNull(commandId);
        this.domain = Objects.requireNonNull(domain);
        this.hostId = hostId;
        this.state = Objects.requireNonNull(state);
        this.work = work;
        this.merged = new ArrayList<>(merged == null ? List.of() : merged);
        this.deleted = new ArrayList<>(deleted == null ? List.of() : deleted);
        this.error = error;
        this.lastSequence = lastSequence;
        this.requestedAt = Objects.requireNonNull(requestedAt);
        this.lastReportAt = lastReportAt;
        this.endedAt = endedAt;
    }

    /** A run asked for, to be planned when its domain is free. */
    public static RetentionRun pending(String runId, String commandId, String domain, Instant now) {
        return new RetentionRun(runId, commandId, domain, null, RetentionRunState.PENDING, null, List.of(),
                List.of(), null, 0, now, null, null);
    }

    /**
     * Fixes the run's work. With nothing to change on disk it ends here, successfully (true: its outcome is owed);
     * otherwise it runs on {@code hostId}'s agent from now on.
     */
    public boolean plan(RetentionWork planned, String host, Instant now) {
        requirePending();
        work = planned;
        if (!planned.changesFiles()) {
            move(RetentionRunState.COMPLETED);
            endedAt = now;
            return true;
        }
        hostId = host;
        move(RetentionRunState.RUNNING);
        lastReportAt = now;
        return false;
    }

    /** Fails it unless it has ended already; true when this ended it (its outcome is then owed). */
    public boolean fail(ErrorInfo why, Instant now) {
        if (state.isTerminal()) {
            return false;
        }
        move(RetentionRunState.FAILED);
        error = why;
        endedAt = now;
        return true;
    }

    /**
     * Applies the agent's report if it is newer: the i-th merged file is the i-th planned merge, a deleted path is
     * the planned deletion of that path. The files changed whatever this service decided meanwhile, so a run it has
     * already ended (its agent seemed silent, or its call timed out) still takes the steps into the catalog; only its
     * state and its one outcome stay as they were.
     */
    public ReportEffect apply(RetentionJobReport report, Instant now) {
        // Only the run's own host reports on it (a report from any other is not believed).
        if (work == null || !Objects.equals(report.hostId(), hostId) || report.sequence() <= lastSequence) {
            return ReportEffect.IGNORED;
        }
        lastSequence = report.sequence();
        lastReportAt = now;
        List<MergedArtifactEntry> newlyMerged = new ArrayList<>();
        for (int i = merged.size(); i < report.merged().size() && i < work.merges().size(); i++) {
            PlannedMerge step = work.merges().get(i);
            MergedFile file = report.merged().get(i);
            newlyMerged.add(new MergedArtifactEntry(step.disk(), step.artifact(), step.path(), step.expiredArtifact(),
                    step.newIncrementalFrom(), file.size(), file.sha256()));
        }
        merged.addAll(newlyMerged);
        List<PrunedArtifactEntry> newlyDeleted = new ArrayList<>();
        for (String path : report.deleted()) {
            work.deletions().stream().filter(planned -> planned.path().equals(path))
                    .filter(planned -> !deleted.contains(planned)).findFirst().ifPresent(newlyDeleted::add);
        }
        deleted.addAll(newlyDeleted);
        if (report.state() == RestoreJobState.RUNNING || state.isTerminal()) {
            return new ReportEffect(newlyMerged, newlyDeleted, false);
        }
        if (report.state() == RestoreJobState.COMPLETED) {
            move(RetentionRunState.COMPLETED);
        } else {
            move(RetentionRunState.FAILED);
            error = report.error() != null ? report.error() : ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                    "operation failed: the retention run failed on host " + hostId);
        }
        endedAt = now;
        return new ReportEffect(newlyMerged, newlyDeleted, true);
    }

    /** A running run whose agent has not reported for {@code silence} (it reports after every step). */
    public boolean isSilent(Instant now, Duration silence) {
        return state == RetentionRunState.RUNNING && now.isAfter(lastReportAt.plus(silence));
    }

    /**
     * The artifact the agent may have been rewriting when it went silent: the first planned merge it did not
     * report (steps run one after the other); empty when every merge was reported.
     */
    public Optional<String> artifactInDoubt() {
        if (work == null || merged.size() >= work.merges().size()) {
            return Optional.empty();
        }
        return Optional.of(work.merges().get(merged.size()).artifact());
    }

    /** The run's one outcome, once it has ended. */
    public RetentionAppliedEvent outcome(String eventId, Instant now) {
        if (!state.isTerminal()) {
            throw new IllegalStateException("retention run " + runId + " has not ended");
        }
        RetentionWork done = work == null ? new RetentionWork(null, null, null, null) : work;
        long freed = 0;
        for (PrunedArtifactEntry gone : deleted) {
            freed += gone.size() == null ? 0 : gone.size();
        }
        // A merged artifact grows by what it took over from the expired links (one artifact may take several).
        java.util.Map<String, Long> sizeOf = new java.util.HashMap<>();
        for (int i = 0; i < merged.size(); i++) {
            PlannedMerge step = done.merges().get(i);
            Long before = sizeOf.containsKey(step.artifact()) ? sizeOf.get(step.artifact()) : step.sizeBefore();
            freed -= before == null ? 0 : merged.get(i).size() - before;
            sizeOf.put(step.artifact(), merged.get(i).size());
        }
        // Checkpoints are only unneeded once the files holding them are gone.
        List<io.cairn.events.event.UnneededCheckpoint> unneeded = state == RetentionRunState.COMPLETED
                ? done.unneededCheckpoints() : List.of();
        return new RetentionAppliedEvent(eventId, now, domain, commandId, runId, hostId,
                state == RetentionRunState.COMPLETED, error, done.kept(), merged, deleted, freed, unneeded);
    }

    private void requirePending() {
        if (state != RetentionRunState.PENDING) {
            throw new IllegalStateException("retention run " + runId + " was planned already (" + state + ")");
        }
    }

    private void move(RetentionRunState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("retention run " + runId + " cannot move from " + state + " to " + next);
        }
        state = next;
    }

    public String runId() {
        return runId;
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

    public RetentionRunState state() {
        return state;
    }

    public Optional<RetentionWork> work() {
        return Optional.ofNullable(work);
    }

    public List<MergedArtifactEntry> merged() {
        return List.copyOf(merged);
    }

    public List<PrunedArtifactEntry> deleted() {
        return List.copyOf(deleted);
    }

    public Optional<ErrorInfo> error() {
        return Optional.ofNullable(error);
    }

    public long lastSequence() {
        return lastSequence;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    public Optional<Instant> lastReportAt() {
        return Optional.ofNullable(lastReportAt);
    }

    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }
}
