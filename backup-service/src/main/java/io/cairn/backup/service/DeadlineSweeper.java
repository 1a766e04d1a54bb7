package io.cairn.backup.service;

import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.agent.AgentGateway;
import io.cairn.core.agent.HostDirectory;
import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.repository.BackupJobRepository;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.DeadlineVerdict;
import io.cairn.backup.service.job.JobLifetimes;
import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.core.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Bounds every job's life, as peers learned to (KubeVirt's pull TTL, oVirt's unmonitored-backup failure): a pull
 * backup whose reader never finishes is aborted after its time to live, and a job whose agent went silent is failed
 * (its slot freed, backup-completed published) and the agent told to clean up should it come back.
 */
@ApplicationScoped
public class DeadlineSweeper {
    private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class);

    @Inject
    BackupJobRepository jobs;

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
    HostDirectory hosts;

    @Inject
    OutboxRelay relay;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    Clock clock;

    @Scheduled(every = "${cairn.backup.sweep-interval:10s}", delayed = "${cairn.backup.sweep-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepNow().onFailure().recoverWithItem(failure -> {
            LOG.warnf("deadline sweep failed: %s", failure.getMessage());
            return 0;
        }).invoke(swept -> {
            // A safety net for admission: a slot freed where no start followed (a replica died between the two)
            // still reaches the waiting jobs within one sweep interval.
            starter.admitAndStartLater();
        }).replaceWithVoid();
    }

    /** Enforces the deadlines of every active job once; answers how many jobs it ended or aborted. */
    public Uni<Integer> sweepNow() {
        JobLifetimes lifetimes = limits.lifetimes();
        return Panache.withSession(() -> jobs.listActiveByArrival())
                .map(rows -> rows.stream().map(row -> row.jobId).toList())
                .flatMap(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(id -> enforce(id, lifetimes))
                        .collect().asList())
                .map(verdicts -> (int) verdicts.stream().filter(v -> v != DeadlineVerdict.NONE).count());
    }

    private Uni<DeadlineVerdict> enforce(String jobId, JobLifetimes lifetimes) {
        Instant now = clock.instant();
        return store.update(jobId, job -> job.enforceDeadlines(now, lifetimes,
                                hosts.lastSeen(job.hostId()).orElse(null),
                                hosts.agentStartedAt(job.hostId()).orElse(null)),
                        change -> change.result() == DeadlineVerdict.FAILED_AGENT_SILENT
                                ? completions.publish(change.job(), now)
                                : Uni.createFrom().voidItem())
                .flatMap(change -> afterCommit(change.job(), change.result()).replaceWith(change.result()));
    }

    private Uni<Void> afterCommit(BackupJob job, DeadlineVerdict verdict) {
        return switch (verdict) {
            case NONE -> Uni.createFrom().voidItem();
            case ABORT_PULL_EXPIRED -> {
                LOG.infof("pull backup %s of %s outlived its time to live; aborting", job.jobId(), job.domain());
                // The agent's terminal report ends the job (an aborted pull completes, as in libvirt).
                yield abortOnHost(job, "ttl");
            }
            case FAILED_AGENT_SILENT -> {
                LOG.warnf("backup %s of %s: its agent on %s was silent too long; failed", job.jobId(), job.domain(),
                        job.hostId());
                relay.kick();
                starter.admitAndStartLater();
                // Should the agent come back, its QEMU job must not run on with nobody listening.
                yield abortOnHost(job, "silent");
            }
        };
    }

    private Uni<Void> abortOnHost(BackupJob job, String why) {
        return agents.send(new AbortBackupRequest(job.jobId() + "/" + why, job.hostId(), job.domain(), job.jobId()))
                .onFailure().invoke(failure -> LOG.warnf("abort of %s not sent: %s", job.jobId(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }
}
