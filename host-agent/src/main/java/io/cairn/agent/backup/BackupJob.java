package io.cairn.agent.backup;

import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.operation.AgentErrors;
import io.cairn.agent.operation.KeyedSerialExecutor;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.QmpEvent;
import io.cairn.agent.qmp.QmpJob;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.agent.BackupJobReport;
import io.cairn.events.agent.BackupJobState;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.model.BackupMode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * A running backup of one domain: follows its per-disk QEMU jobs through JOB_STATUS_CHANGE, aggregates
 * them with libvirt's rules (qemuBackupNotifyBlockjobEnd: a failed or cancelled disk cancels the others;
 * FAILED beats CANCELLED beats COMPLETED, and an aborted pull backup COMPLETES), tears down what the start
 * put into QEMU, and sends sequenced reports ending in exactly one terminal report.
 */
public final class BackupJob {

    private static final Logger LOG = Logger.getLogger(BackupJob.class);
    private static final String SERIAL_KEY = "job";

    private final String jobId;
    private final String requestId;
    private final String hostId;
    private final BackupMode mode;
    private final DomainConnection connection;
    private final List<DiskJob> disks;
    private final List<NodeBitmap> checkpointBitmaps;
    private final JobReportSink sink;
    private final CreatedStores stores;
    private final StoreFiles storeFiles;
    private final NbdPskFiles pskFiles;
    private final Duration progressInterval;
    private final KeyedSerialExecutor serial = new KeyedSerialExecutor();
    private final CompletableFuture<BackupJobReport> finished = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private final Runnable onFinished;
    /**
     * Starts at the job's start time in ms × 1000, so reports of a job adopted by a restarted agent still
     * rank after the ones the previous agent process sent (the service drops reports that go backwards).
     */
    private long sequence = System.currentTimeMillis() * 1000;
    private BackupJobState state = BackupJobState.STARTING;
    private boolean terminalPublished;
    private boolean reporting;
    private boolean transactionDone;
    private boolean detached;
    private String firstError;
    private boolean failedToStart;
    private boolean nbdServerRunning;
    private String tlsObjectId;
    private NbdEndpoint nbd;
    private Runnable removeListener = () -> { };
    private Cancellable progressTicker;

    public BackupJob(String jobId, String requestId, String hostId, BackupMode mode, DomainConnection connection,
            List<DiskJob> disks, List<NodeBitmap> checkpointBitmaps, JobReportSink sink, CreatedStores stores,
            StoreFiles storeFiles, NbdPskFiles pskFiles, Duration progressInterval, Runnable onFinished) {
        this.jobId = jobId;
        this.requestId = requestId;
        this.hostId = hostId;
        this.mode = mode;
        this.connection = connection;
        this.disks = List.copyOf(disks);
        this.checkpointBitmaps = List.copyOf(checkpointBitmaps);
        this.sink = sink;
        this.stores = stores;
        this.storeFiles = storeFiles;
        this.pskFiles = pskFiles;
        this.progressInterval = progressInterval;
        this.onFinished = onFinished;
    }

    public String jobId() {
        return jobId;
    }

    public String domain() {
        return connection.domain();
    }

    public BackupMode mode() {
        return mode;
    }

    public List<DiskJob> disks() {
        return disks;
    }

    public synchronized BackupJobState state() {
        return state;
    }

    /** Completes with the terminal report once everything is torn down. */
    public CompletionStage<BackupJobReport> finished() {
        return finished.minimalCompletionStage();
    }

    /** Starts following QEMU's job events and the connection; call before the transaction creates the jobs. */
    void watch() {
        removeListener = connection.client().addEventListener(this::onEvent);
        connection.client().whenClosed().thenRun(() -> serialized(this::onQemuGone));
    }

    synchronized void nbdServerStarted(String tlsObject) {
        nbdServerRunning = true;
        tlsObjectId = tlsObject;
    }

    /** From here on the job reports; before it, a failed start is answered by the request's result alone. */
    void publishStarting() {
        synchronized (this) {
            reporting = true;
        }
        publish(BackupJobState.STARTING);
    }

    /** QEMU's transaction went through: the checkpoint bitmaps and jobs exist from now on. */
    synchronized void transactionSucceeded() {
        transactionDone = true;
    }

    /** Undoes a start that failed before QEMU's transaction: removes the nodes and files made so far. */
    Uni<Void> rollbackBeforeTransaction() {
        return serial.submit(SERIAL_KEY, () -> {
            disks.forEach(disk -> disk.tryMoveTo(DiskPhase.FAILED));
            return finish(true);
        });
    }

    /** The transaction succeeded (and for pull the exports exist): the job runs. */
    void running(NbdEndpoint endpoint) {
        synchronized (this) {
            nbd = endpoint;
        }
        disks.forEach(disk -> disk.tryMoveTo(DiskPhase.RUNNING));
        publish(BackupJobState.RUNNING);
        progressTicker = Multi.createFrom().ticks().every(progressInterval)
                .onItem().transformToUniAndConcatenate(tick -> refreshProgress().onFailure().recoverWithNull())
                .subscribe().with(ignored -> { }, failure -> { });
    }

    /**
     * Takes over a job a previous agent process started: QEMU still has its jobs (auto-dismiss is off, so
     * even finished ones wait for us). Running ones are followed again; concluded ones are settled now.
     */
    void adopt(List<QmpJob> qemuJobs) {
        synchronized (this) {
            reporting = true;
            transactionDone = true;
        }
        watch();
        running(null);
        for (DiskJob disk : disks) {
            qemuJobs.stream().filter(job -> job.id().equals(disk.qemuJobId()) && job.isConcluded()).findFirst()
                    .ifPresent(job -> serialized(() -> concluded(disk)));
        }
    }

    /** Ends the job early: pull's normal end (then COMPLETED), or a push cancel (then CANCELLED). */
    public Uni<Void> abort() {
        return serial.submit(SERIAL_KEY, this::cancelRunningDisks);
    }

    /** Something after the transaction failed (e.g. an export): cancel, tear down, and end as FAILED. */
    Uni<BackupJobReport> failAfterTransaction(Throwable failure) {
        synchronized (this) {
            failedToStart = true;
            if (firstError == null) {
                firstError = AgentErrors.toCairn(failure).getMessage();
            }
        }
        return serial.submit(SERIAL_KEY, this::cancelRunningDisks)
                .chain(() -> Uni.createFrom().completionStage(finished));
    }

    private void onEvent(QmpEvent event) {
        if (!"JOB_STATUS_CHANGE".equals(event.name()) || !"concluded".equals(event.dataText("status"))) {
            return;
        }
        String id = event.dataText("id");
        disks.stream().filter(disk -> disk.qemuJobId().equals(id)).findFirst()
                .ifPresent(disk -> serialized(() -> concluded(disk)));
    }

    private void serialized(java.util.function.Supplier<Uni<Void>> work) {
        serial.submit(SERIAL_KEY, work).subscribe().with(ignored -> { },
                failure -> LOG.errorf(failure, "backup job %s: event handling failed", jobId));
    }

    /** libvirt's order on concluded: query-jobs for the outcome, job-dismiss, then aggregate. */
    private Uni<Void> concluded(DiskJob disk) {
        if (disk.phase().isTerminal()) {
            return Uni.createFrom().voidItem();
        }
        return connection.commands().queryJobs()
                .map(jobs -> jobs.stream().filter(job -> job.id().equals(disk.qemuJobId())).findFirst())
                .call(job -> connection.commands().jobDismiss(disk.qemuJobId()).onFailure().recoverWithNull())
                .map(job -> {
                    record(disk, job);
                    return disk;
                })
                .onFailure().recoverWithItem(failure -> {
                    disk.error(AgentErrors.toCairn(failure).getMessage());
                    disk.tryMoveTo(DiskPhase.FAILED);
                    return disk;
                })
                .chain(ended -> afterDiskEnded(ended));
    }

    private void record(DiskJob disk, Optional<QmpJob> job) {
        job.ifPresent(found -> disk.progress(found.currentProgress(), found.totalProgress()));
        Optional<String> error = job.flatMap(QmpJob::error);
        if (job.isEmpty()) {
            disk.error("job " + disk.qemuJobId() + " vanished from QEMU");
            disk.tryMoveTo(DiskPhase.FAILED);
        } else if (error.isEmpty()) {
            disk.tryMoveTo(DiskPhase.COMPLETE);
        } else if (disk.phase() == DiskPhase.CANCELLING) {
            // A cancel we asked for ends with error "Operation canceled": that is a cancel, not a failure.
            disk.tryMoveTo(DiskPhase.CANCELLED);
        } else {
            disk.error(error.get());
            disk.tryMoveTo(DiskPhase.FAILED);
        }
        if (disk.error() != null) {
            synchronized (this) {
                if (firstError == null) {
                    firstError = disk.error();
                }
            }
        }
    }

    private Uni<Void> afterDiskEnded(DiskJob disk) {
        Uni<Void> stopServer = mode == BackupMode.PULL ? stopNbdServer() : Uni.createFrom().voidItem();
        boolean othersMustStop = disk.phase() != DiskPhase.COMPLETE;
        return stopServer
                .chain(() -> othersMustStop ? cancelRunningDisks() : Uni.createFrom().voidItem())
                .chain(() -> disks.stream().allMatch(d -> d.phase().isTerminal())
                        ? finish(true) : Uni.createFrom().voidItem());
    }

    private Uni<Void> cancelRunningDisks() {
        List<Uni<Void>> cancels = new ArrayList<>();
        for (DiskJob disk : disks) {
            if (disk.tryMoveTo(DiskPhase.CANCELLING)) {
                cancels.add(connection.client().execute("job-cancel", QmpClient.arguments().put("id", disk.qemuJobId()))
                        .replaceWithVoid()
                        // The job may have concluded meanwhile; its concluded event then settles the disk.
                        .onFailure().recoverWithNull());
            }
        }
        return cancels.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(cancels).andCollectFailures().replaceWithVoid();
    }

    private Uni<Void> stopNbdServer() {
        String tls;
        synchronized (this) {
            if (!nbdServerRunning) {
                return Uni.createFrom().voidItem();
            }
            nbdServerRunning = false;
            tls = tlsObjectId;
        }
        // libvirt stops the whole server on every disk's end: no export may outlive a finished disk job.
        Uni<Void> stop = connection.client().execute("nbd-server-stop").replaceWithVoid().onFailure().recoverWithNull();
        return tls == null ? stop : stop.chain(() -> connection.client()
                .execute("object-del", QmpClient.arguments().put("id", tls)).replaceWithVoid().onFailure().recoverWithNull());
    }

    /**
     * The agent shuts down but QEMU goes on: stop following the job and leave it in QEMU, where the next
     * agent process adopts it (auto-dismiss=false keeps even its end there).
     */
    void detach() {
        synchronized (this) {
            detached = true;
        }
        if (progressTicker != null) {
            progressTicker.cancel();
        }
        removeListener.run();
    }

    /** QEMU went away (crash, kill, shutdown): every unfinished disk failed; only files can still be cleaned. */
    private Uni<Void> onQemuGone() {
        synchronized (this) {
            if (detached) {
                return Uni.createFrom().voidItem();
            }
        }
        boolean any = false;
        for (DiskJob disk : disks) {
            if (disk.tryMoveTo(DiskPhase.FAILED)) {
                disk.error("QEMU exited while the backup was running");
                any = true;
            }
        }
        if (!any) {
            return Uni.createFrom().voidItem();
        }
        synchronized (this) {
            if (firstError == null) {
                firstError = "QEMU exited while the backup was running";
            }
            nbdServerRunning = false;
        }
        return finish(false);
    }

    private Uni<Void> finish(boolean qemuAlive) {
        if (finished.isDone()) {
            return Uni.createFrom().voidItem();
        }
        if (progressTicker != null) {
            progressTicker.cancel();
        }
        removeListener.run();
        BackupJobState end = finalState();
        Uni<Void> qemuCleanup = qemuAlive ? cleanQemu() : Uni.createFrom().voidItem();
        return qemuCleanup
                // After the TLS object is gone (QEMU reads the key at each handshake), on every way a job ends.
                .chain(this::deleteKey)
                .chain(() -> deleteFiles(end))
                // After blockdev-del (QEMU has closed the targets) and before the checksum, which covers the header.
                .chain(() -> rebaseTargets(end))
                // The catalog's checksum: the targets as they stay, read back before the report that hands them over.
                .chain(() -> digestTargets(end))
                // Before the report: a job reported complete must never have its target swept as a leftover.
                .chain(this::settleStores)
                .invoke(() -> {
                    BackupJobReport report = publish(end);
                    onFinished.run();
                    finished.complete(report);
                });
    }

    private synchronized BackupJobState finalState() {
        boolean anyFailed = failedToStart || disks.stream().anyMatch(disk -> disk.phase() == DiskPhase.FAILED);
        boolean anyCancelled = disks.stream().anyMatch(disk -> disk.phase() == DiskPhase.CANCELLED);
        return BackupJobState.ofEndedDisks(mode, anyFailed, anyCancelled);
    }

    private Uni<Void> cleanQemu() {
        List<Uni<Void>> steps = new ArrayList<>();
        steps.add(stopNbdServer());
        for (DiskJob disk : disks) {
            steps.add(quietly(connection.commands().blockdevDel(disk.formatNode())));
            steps.add(quietly(connection.commands().blockdevDel(disk.fileNode())));
            // A pull's temporary bitmap lives on the scratch node and went away with it (as in libvirt).
            if (mode == BackupMode.PUSH && disk.tempBitmap() != null) {
                steps.add(quietly(connection.commands().transaction(
                        List.of(TransactionAction.removeBitmap(disk.tempBitmapNode(), disk.tempBitmap())))));
            }
        }
        boolean undoCheckpoint;
        synchronized (this) {
            // A job that ran was announced with its checkpoint, which the lineage then holds: its bitmaps stay
            // whatever the job's end, as in libvirt (qemuBackupBegin finalizes the checkpoint right after the
            // transaction, qemuBackupJobTerminate never rolls it back). Only a start that failed after our own
            // transaction (before it the names may be someone else's) was never announced: its bitmaps go.
            undoCheckpoint = transactionDone && failedToStart;
        }
        if (undoCheckpoint && !checkpointBitmaps.isEmpty()) {
            // QEMU does not undo them with the jobs (qemu-qmp-verified.md §8.2).
            steps.add(quietly(connection.commands().transaction(checkpointBitmaps.stream()
                    .map(bitmap -> TransactionAction.removeBitmap(bitmap.node(), bitmap.name())).toList())));
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> step : steps) {
            chain = chain.chain(() -> step);
        }
        return chain;
    }

    private Uni<Void> deleteFiles(BackupJobState end) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DiskJob disk : disks) {
            // libvirt: a pull scratch is always deleted, a push target only if the job did not complete;
            // never a store that existed before (reuse-external), and only the inode this job created there.
            boolean delete = disk.storeKind().createdByAgent()
                    && (disk.storeKind().scratch() || end != BackupJobState.COMPLETED);
            StoreFiles.Created created = disk.created();
            if (delete && created != null) {
                chain = chain.chain(() -> quietly(Uni.createFrom().item(() -> storeFiles.deleteCreated(created))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .invoke(done -> LOG.debugf("backup job %s: %s", jobId, done)).replaceWithVoid()));
            }
        }
        return chain;
    }

    /**
     * A completed push incremental is created, as in libvirt, naming the LIVE disk as its backing file: any reader of
     * it alone would silently read today's disk. Its header is rewritten ({@code rebase -u}, header only) to name the
     * artifact holding the base checkpoint, or, when the catalog knew none, a path that cannot exist, so a reader
     * gets an error naming the problem instead. A failed rewrite is logged and leaves the backup complete (its data
     * is), with no backing recorded.
     */
    private Uni<Void> rebaseTargets(BackupJobState end) {
        if (mode != BackupMode.PUSH || end != BackupJobState.COMPLETED) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DiskJob disk : disks) {
            if (disk.store() == null || disk.phase() != DiskPhase.COMPLETE || !disk.createdIncrementalTarget()) {
                continue;
            }
            Path backing = disk.chainBase() != null ? disk.chainBase() : ChainBases.unknownBase(disk.store());
            chain = chain.chain(() -> ImageFiles.rebaseHeader(disk.store(), backing)
                    .invoke(() -> {
                        disk.rebasedOnto(backing);
                        LOG.debugf("backup job %s: %s now backed by %s", jobId, disk.store(), backing);
                    })
                    .onFailure().invoke(failure -> LOG.warnf("backup job %s: target %s of disk %s still names the"
                            + " live disk as its backing file: %s", jobId, disk.store(), disk.disk(),
                            failure.getMessage()))
                    .onFailure().recoverWithNull()
                    .replaceWithVoid());
        }
        return chain;
    }

    /**
     * A completed push's targets, each read back once (size and SHA-256 of the file's bytes). A target that cannot
     * be read leaves its disk without a checksum: the backup stays complete, the catalog records none.
     */
    private Uni<Void> digestTargets(BackupJobState end) {
        if (mode != BackupMode.PUSH || end != BackupJobState.COMPLETED) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DiskJob disk : disks) {
            if (disk.store() != null && disk.phase() == DiskPhase.COMPLETE) {
                chain = chain.chain(() -> TargetDigest.of(disk.store())
                        .invoke(written -> disk.written(disk.rebasedOnto() == null ? written
                                : written.withBacking(disk.rebasedOnto().toString())))
                        .onFailure().invoke(failure -> LOG.warnf("backup job %s: no checksum for disk %s: %s",
                                jobId, disk.disk(), failure.getMessage()))
                        .onFailure().recoverWithNull()
                        .replaceWithVoid());
            }
        }
        return chain;
    }

    private Uni<Void> deleteKey() {
        if (mode != BackupMode.PULL) {
            return Uni.createFrom().voidItem();
        }
        return quietly(Uni.createFrom().item(() -> {
            pskFiles.delete(jobId);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    private Uni<Void> settleStores() {
        return Uni.createFrom().item(() -> {
            stores.settled(jobId);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<Void> refreshProgress() {
        return connection.commands().queryJobs().invoke(jobs -> {
            boolean changed = false;
            for (DiskJob disk : disks) {
                for (QmpJob job : jobs) {
                    if (job.id().equals(disk.qemuJobId()) && !disk.phase().isTerminal()
                            && (job.currentProgress() != disk.processed() || job.totalProgress() != disk.total())) {
                        disk.progress(job.currentProgress(), job.totalProgress());
                        changed = true;
                    }
                }
            }
            if (changed) {
                publish(BackupJobState.RUNNING);
            }
        }).replaceWithVoid();
    }

    private synchronized BackupJobReport publish(BackupJobState newState) {
        if (terminalPublished || !reporting) {
            state = newState;
            return null;
        }
        state = newState;
        terminalPublished = newState.isTerminal();
        long processed = disks.stream().mapToLong(DiskJob::processed).sum();
        long total = disks.stream().mapToLong(DiskJob::total).sum();
        long elapsed = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        BackupStatistics statistics = mode == BackupMode.PULL
                ? BackupStatistics.pull(processed, total, elapsed) : BackupStatistics.push(total, processed, elapsed);
        // An ended job's key opens nothing any more: the terminal report does not repeat it.
        BackupJobReport report = new BackupJobReport(jobId, hostId, connection.domain(), requestId, ++sequence, newState,
                disks.stream().map(DiskJob::report).toList(), statistics, newState.isTerminal() ? null : nbd,
                newState == BackupJobState.FAILED ? firstError : null, Instant.now());
        try {
            sink.publish(report);
        } catch (RuntimeException e) {
            LOG.errorf(e, "backup job %s: report sink failed", jobId);
        }
        return report;
    }

    private static Uni<Void> quietly(Uni<Void> step) {
        return step.onFailure().invoke(failure -> LOG.debugf("cleanup step failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull();
    }
}
