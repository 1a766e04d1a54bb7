package io.cairn.backup.service;

import io.cairn.core.failure.VirErrors;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.agent.AgentGateway;
import io.cairn.backup.service.job.AdmissionTicket;
import io.cairn.backup.service.catalog.ChainBases;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.backup.service.job.JobState;
import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.RemoveBitmapsRequest;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.core.outbox.OutboxRelay;
import io.smallrye.mutiny.Multi;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Hands admitted jobs to their host agents. An agent's refusal is libvirt's failed virDomainBackupBegin: the job
 * fails and its begin command is answered with a command-rejected carrying the agent's error, in one transaction.
 * Acceptance is not announced here: backup-started follows the agent's first report (see {@link BackupReports}),
 * so it can never reach the topic after the job's backup-completed.
 */
@ApplicationScoped
public class JobStarter {
    private static final Logger LOG = Logger.getLogger(JobStarter.class);

    @Inject
    BackupJobStore store;

    @Inject
    AgentGateway agents;

    @Inject
    CommandOutcomes outcomes;

    @Inject
    Admission admission;

    @Inject
    OutboxRelay relay;

    @Inject
    Clock clock;

    @Inject
    Vertx vertx;

    @Inject
    ArtifactCatalog catalog;

    /**
     * Admits the waiting jobs that fit (a slot was freed, or a job arrived) and starts them without making the
     * caller wait for their agents (up to the gateway timeout each):
     * an abort or an agent report that freed a slot must not hang on the next job's start. Runs on a fresh
     * duplicated Vert.x context, so it never shares the caller's database session.
     */
    public void admitAndStartLater() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        // Hibernate Reactive Panache only runs on a context flagged safe (isolated): this one is new and ours alone.
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> admission.admitWaiting().flatMap(this::startAll).subscribe().with(done -> { },
                failure -> LOG.errorf(failure, "waiting backup jobs could not be admitted and started")));
    }

    /**
     * A begin's own job is started before the command is done (so a following abort of the domain, next in its
     * partition, finds the agent's job); other admitted jobs start in the background, so one slow or dead agent
     * never holds up the commands of other domains.
     */
    public Uni<Void> startOwnDeferOthers(String ownJobId, List<AdmissionTicket> admitted) {
        List<AdmissionTicket> own = admitted.stream().filter(t -> t.jobId().equals(ownJobId)).toList();
        List<AdmissionTicket> others = admitted.stream().filter(t -> !t.jobId().equals(ownJobId)).toList();
        if (!others.isEmpty()) {
            startLater(others);
        }
        return startAll(own);
    }

    private void startLater(List<AdmissionTicket> admitted) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> startAll(admitted).subscribe().with(done -> { },
                failure -> LOG.errorf(failure, "admitted backup jobs could not be started")));
    }

    /** Starts the jobs one after the other; a failure of one never keeps the others from starting. */
    public Uni<Void> startAll(List<AdmissionTicket> admitted) {
        return Multi.createFrom().iterable(admitted)
                .onItem().transformToUniAndConcatenate(ticket -> start(ticket.jobId()).onFailure().recoverWithItem(
                        failure -> {
                            LOG.errorf(failure, "backup job %s could not be started", ticket.jobId());
                            return null;
                        }))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> start(String jobId) {
        // Admission marked it STARTING; it may have ended since (aborted, swept): then there is nothing to start.
        return store.find(jobId).flatMap(found -> {
            if (found.isEmpty() || found.get().state() != JobState.STARTING) {
                return Uni.createFrom().voidItem();
            }
            BackupJob job = found.get();
            return chainBases(job).flatMap(bases -> call(job, new StartBackupRequest(job.jobId() + "/start",
                    job.hostId(), job.domain(), job.jobId(), job.definition(), bitmapsOf(job.checkpoint()),
                    job.reuseExternal(), bases)));
        });
    }

    /**
     * Per incremental push disk, the artifact its target is to name as backing (instead of the live disk). Without
     * the catalog (it cannot be read) the job still starts: its incrementals are then made unreadable alone.
     */
    private Uni<Map<String, String>> chainBases(BackupJob job) {
        if (job.mode() != BackupMode.PUSH) {
            return Uni.createFrom().item(Map.of());
        }
        return catalog.artifacts(job.domain())
                .map(artifacts -> ChainBases.of(job.domain(), job.hostId(), job.definition(), artifacts))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("backup job %s: the catalog could not be read for chain bases: %s", job.jobId(),
                            failure.getMessage());
                    return Map.of();
                });
    }

    private Uni<Void> call(BackupJob job, StartBackupRequest request) {
        return agents.call(request)
                // Unanswered in time: the agent may still start the job later. Its queue is per domain and in
                // order, so an abort sent now runs after the start and leaves no QEMU job, export or scratch.
                .onFailure(CairnException.class).call(failure -> timedOut(failure) ? abortLateStart(job)
                        : Uni.createFrom().voidItem())
                .onFailure(CairnException.class).recoverWithItem(failure -> refusedBy((CairnException) failure,
                        request))
                .flatMap(result -> result.success() ? Uni.createFrom().voidItem() : refused(job, result));
    }

    private Uni<Void> refused(BackupJob job, AgentResult result) {
        CairnException error = VirErrors.refusal(result);
        return store.update(job.jobId(), stored -> stored.applyStartResult(result, clock.instant()),
                        change -> outcomes.record(job.commandId(), job.domain(), BackupBeginCommand.TYPE,
                                CommandRejectedEvent.of(BackupEvents.beginOf(job), error)).replaceWithVoid())
                .invoke(relay::kick)
                .invoke(change -> admitAndStartLater())
                .replaceWithVoid();
    }

    private static boolean timedOut(Throwable failure) {
        return ((CairnException) failure).code() == VirErrorCode.VIR_ERR_OPERATION_TIMEOUT;
    }

    private Uni<Void> abortLateStart(BackupJob job) {
        LOG.warnf("backup %s of %s: its agent on %s did not answer the start in time; aborting it there", job.jobId(),
                job.domain(), job.hostId());
        // The start may have made the new checkpoint's bitmaps before the abort: the job was never announced, so no
        // lineage knows them (the soak found them left on the disks). Removed after the abort, in the same queue.
        List<DiskBitmap> bitmaps = bitmapsOf(job.checkpoint());
        Uni<Void> removal = bitmaps.isEmpty() ? Uni.createFrom().voidItem()
                : agents.send(new RemoveBitmapsRequest(job.jobId() + "/start-timeout-bitmaps", job.hostId(),
                        job.domain(), bitmaps, true));
        return agents.send(new AbortBackupRequest(job.jobId() + "/start-timeout", job.hostId(), job.domain(),
                job.jobId())).chain(() -> removal).onFailure().recoverWithNull();
    }

    /** A timeout (or a broken broker) counts as a refusal: libvirt's begin would fail the same way. */
    private static AgentResult refusedBy(CairnException failure, StartBackupRequest request) {
        return new AgentResult(request.requestId(), request.hostId(), request.domain(), request.type(), false,
                failure.toErrorInfo(), List.of(), java.time.Instant.now());
    }

    /** The begin command as far as a rejection needs it (its id, domain and type). */
    /** libvirt's QEMU driver: the new checkpoint's bitmap on each of its bitmap disks carries its name. */
    static List<DiskBitmap> bitmapsOf(CheckpointDefinition checkpoint) {
        if (checkpoint == null || checkpoint.disks() == null) {
            return List.of();
        }
        return checkpoint.disks().stream().filter(disk -> disk.checkpoint() == CheckpointDiskMode.BITMAP)
                .map(disk -> new DiskBitmap(disk.name(), disk.bitmap() == null ? checkpoint.name() : disk.bitmap()))
                .toList();
    }
}
