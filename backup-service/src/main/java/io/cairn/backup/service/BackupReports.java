package io.cairn.backup.service;

import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.agent.AgentGateway;
import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.ReportOutcome;
import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.core.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Applies the agents' backup job reports through the job model (sequence, terminal finality, libvirt's disk
 * aggregation) and writes what they caused to the outbox in the same transaction: backup-started when QEMU's jobs
 * first show (it also answers the begin command), backup-progress at most once per interval, and exactly one
 * backup-completed, since an ended job ignores every later report.
 */
@ApplicationScoped
public class BackupReports {
    private static final Logger LOG = Logger.getLogger(BackupReports.class);

    /** What one report did, decided inside the job's transaction. */
    private record Effects(ReportOutcome outcome, boolean progressDue) {
    }

    @Inject
    BackupJobStore store;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    JobStarter starter;

    @Inject
    JobCompletions completions;

    @Inject
    AgentGateway agents;

    @Inject
    OutboxRelay relay;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    Clock clock;

    public Uni<Void> apply(BackupJobReport report) {
        Instant now = clock.instant();
        return store.update(report.jobId(), job -> effectsOf(job, report, now),
                        change -> publish(change.job(), change.result(), report, now))
                .flatMap(change -> afterCommit(change.job(), change.result().outcome()))
                // A report of a job this service does not know (another deployment sharing the broker): not ours.
                .onFailure(CairnException.class).recoverWithUni(failure -> {
                    if (((CairnException) failure).code() != VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP) {
                        return Uni.createFrom().failure(failure);
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private Effects effectsOf(BackupJob job, BackupJobReport report, Instant now) {
        ReportOutcome outcome = job.apply(report, now);
        boolean progressDue = outcome.applied() && !outcome.ended() && !outcome.started()
                && job.isProgressDue(now, limits.progressInterval());
        if (outcome.started() || progressDue) {
            // backup-started counts as the first progress: the next comes a full interval later.
            job.progressPublished(now);
        }
        if (!outcome.applied()) {
            LOG.debugf("backup job %s report #%d: %s", report.jobId(), report.sequence(), outcome.verdict());
        }
        return new Effects(outcome, progressDue);
    }

    private Uni<Void> publish(BackupJob job, Effects effects, BackupJobReport report, Instant now) {
        Uni<Void> events = Uni.createFrom().voidItem();
        if (effects.outcome().started()) {
            events = events.call(() -> outcomes.record(job.commandId(), job.domain(), BackupBeginCommand.TYPE,
                    BackupEvents.started(job, report.nbd(), now)));
        }
        if (effects.progressDue()) {
            events = events.call(() -> outcomes.publish(BackupEvents.progress(job, now)));
        }
        if (effects.outcome().ended()) {
            events = events.call(() -> completions.publish(job, now));
        }
        return events;
    }

    private Uni<Void> afterCommit(BackupJob job, ReportOutcome outcome) {
        relay.kick();
        Uni<Void> next = Uni.createFrom().voidItem();
        if (!outcome.disksToCancel().isEmpty() && !outcome.ended()) {
            // libvirt cancels the other disks' jobs when one fails; the agent ends the whole QEMU job.
            next = agents.send(new AbortBackupRequest(job.jobId() + "/cancel", job.hostId(), job.domain(),
                    job.jobId()));
        }
        if (outcome.ended()) {
            next = next.invoke(starter::admitAndStartLater);
        }
        return next;
    }
}
