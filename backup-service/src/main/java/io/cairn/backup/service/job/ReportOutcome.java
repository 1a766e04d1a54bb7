package io.cairn.backup.service.job;

import java.util.List;

/**
 * The effect of one agent report on a job, telling the caller what to do next.
 *
 * @param started       the job moved to RUNNING with this report: publish backup-started
 * @param ended         the job reached its end state with this report: publish backup-completed
 * @param disksToCancel disks the aggregation rule wants cancelled (another disk failed or was cancelled): send an
 *                      abort to the agent
 */
public record ReportOutcome(ReportVerdict verdict, boolean started, boolean ended, List<String> disksToCancel) {
    public ReportOutcome {
        disksToCancel = List.copyOf(disksToCancel);
    }

    static ReportOutcome ignored(ReportVerdict verdict) {
        return new ReportOutcome(verdict, false, false, List.of());
    }

    public boolean applied() {
        return verdict == ReportVerdict.APPLIED;
    }
}
