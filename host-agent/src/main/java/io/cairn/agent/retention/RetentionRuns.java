package io.cairn.agent.retention;

import io.cairn.agent.backup.BackupJobs;
import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.events.agent.ApplyRetentionRequest;
import io.cairn.events.agent.ArtifactDeleteOrder;
import io.cairn.events.agent.ArtifactMergeOrder;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The retention runs of this host: accepts one only after confining every file it names to the domain's directory,
 * holds those files against backups and restores while it runs, and runs it in the background, one run at a time
 * per host (merges read and write whole disks).
 */
@ApplicationScoped
public class RetentionRuns {

    /** A merge reads the whole chain twice (rebase, compare) and digests the result: generous per step. */
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(30);
    /**
     * How often a run that is queued or in a long step reports anyway, so backup-service's silence bound
     * ({@code cairn.backup.retention-silence}) measures a dead agent, not a big disk.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);

    private final AgentConfig config;
    private final StoragePolicy storage;
    private final BackupJobs backups;
    private final RetentionReportSink sink;
    private final ChainMerge merge;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, RetentionRun> active = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "cairn-retention-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cairn-retention");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public RetentionRuns(AgentConfig config, StoragePolicy storage, BackupJobs backups, RetentionReportSink sink) {
        this(config, storage, backups, sink, new ChainMerge(storage, STEP_TIMEOUT), HEARTBEAT);
    }

    /** With another merge (a stand-in) and heartbeat interval, for tests. */
    RetentionRuns(AgentConfig config, StoragePolicy storage, BackupJobs backups, RetentionReportSink sink,
            ChainMerge merge, Duration heartbeat) {
        this.config = config;
        this.storage = storage;
        this.backups = backups;
        this.sink = sink;
        this.merge = merge;
        heartbeats.scheduleWithFixedDelay(() -> active.values().forEach(RetentionRun::heartbeat),
                heartbeat.toMillis(), heartbeat.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Checks the orders and starts the run; the Uni ends once it is queued (or refused, with nothing changed). */
    public Uni<Void> start(ApplyRetentionRequest request) {
        return Uni.createFrom().item(() -> {
            startNow(request);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public boolean knows(String runId) {
        return running.contains(runId);
    }

    private void startNow(ApplyRetentionRequest request) {
        if (request.runId() == null || !request.runId().matches("[A-Za-z0-9-]{1,64}")) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "invalid retention run id '"
                    + request.runId() + "'");
        }
        List<RetentionRun.Deletion> deletions = new ArrayList<>();
        List<Path> touched = checkedFiles(request, deletions);
        if (!running.add(request.runId())) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "retention run '" + request.runId()
                    + "' is already running");
        }
        try {
            backups.holdForOtherWork(request.runId(), request.domain(), touched);
            RetentionRun run = new RetentionRun(config.hostId(), request, deletions, storage, merge, sink, () -> {
                active.remove(request.runId());
                backups.releaseOtherWork(request.runId());
                running.remove(request.runId());
            });
            active.put(request.runId(), run);
            worker.execute(run);
        } catch (RuntimeException e) {
            active.remove(request.runId());
            running.remove(request.runId());
            backups.releaseOtherWork(request.runId());
            throw e;
        }
    }

    /**
     * Every file the run rewrites, reads or deletes must be a backup artifact of the domain (a regular file of the
     * agent's in its directory): a bad or hostile request cannot make the agent touch anything else. A file to
     * delete that is gone already counts as deleted (a run repeated after a lost report), so it is only confined.
     */
    private List<Path> checkedFiles(ApplyRetentionRequest request, List<RetentionRun.Deletion> deletions) {
        if (request.merges().isEmpty() && request.deletions().isEmpty()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "a retention run needs a merge or a deletion");
        }
        Set<Path> touched = new LinkedHashSet<>();
        Set<Path> deleted = new LinkedHashSet<>();
        for (ArtifactMergeOrder order : request.merges()) {
            touched.add(storage.checkArtifact(order.successor(), request.domain(), order.disk()).path());
            storage.checkArtifact(order.expired(), request.domain(), order.disk());
            for (String below : order.base()) {
                storage.checkArtifact(below, request.domain(), order.disk());
            }
        }
        for (ArtifactDeleteOrder order : request.deletions()) {
            Path confined = storage.checkArtifactToDelete(order.path(), request.domain(), order.disk())
                    .map(artifact -> artifact.path()).orElse(null);
            if (confined != null) {
                deleted.add(confined);
            }
            deletions.add(new RetentionRun.Deletion(order, confined));
        }
        for (ArtifactMergeOrder order : request.merges()) {
            if (deleted.contains(storage.checkArtifact(order.successor(), request.domain(), order.disk()).path())) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "'" + order.successor()
                        + "' is both merged into and deleted");
            }
        }
        touched.addAll(deleted);
        return new ArrayList<>(touched);
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        worker.shutdownNow();
    }
}
