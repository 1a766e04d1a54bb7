package io.cairn.agent.backup;

import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.storage.NbdAddressPolicy;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backup jobs of this host. Enforces libvirt's one backup per domain and a host-wide limit; a start
 * beyond the limit is refused with VIR_ERR_RESOURCE_BUSY rather than queued, because the backup-service
 * already runs a fair admission queue across the fleet and a hidden second queue here would make its
 * decisions (and a pull backup's point in time) unpredictable.
 */
@ApplicationScoped
public class BackupJobs {

    private final int maxConcurrentJobs;
    private final JobReportSink sink;
    private final CreatedStores stores;
    private final NbdPskFiles pskFiles;
    private final java.time.Duration progressInterval;
    private final String hostId;
    private final BackupStarter starter;
    private final StoreFiles storeFiles;
    private final HeldPaths heldPaths = new HeldPaths();
    /** Jobs by jobId, from reservation until their teardown has finished. */
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    /** Ids of running work other than backups (restores) whose recorded files the reconciler must leave alone. */
    private final java.util.Set<String> otherWork = ConcurrentHashMap.newKeySet();

    /** A reserved place for a job; {@code job} is set once it exists in QEMU. */
    private static final class Slot {
        final String domain;
        volatile BackupJob job;

        Slot(String domain) {
            this.domain = domain;
        }
    }

    @Inject
    public BackupJobs(AgentConfig config, StoragePolicy storage, StoreFiles storeFiles, NbdAddressPolicy nbdPolicy,
            JobReportSink sink, CreatedStores stores, NbdPskFiles pskFiles) {
        this.storeFiles = storeFiles;
        this.maxConcurrentJobs = config.maxConcurrentJobs();
        this.sink = sink;
        this.stores = stores;
        this.pskFiles = pskFiles;
        this.progressInterval = config.progressInterval();
        this.hostId = config.hostId();
        this.starter = new BackupStarter(storage, storeFiles, heldPaths, nbdPolicy, config.tlsX509Dir(),
                config.jobSpeed(), sink, stores, config.progressInterval(), config.hostId(), config.nbd(), pskFiles);
    }

    /** Starts the job; the Uni ends when it runs in QEMU (or fails, with everything undone). */
    public Uni<BackupJob> start(DomainConnection connection, StartBackupRequest request) {
        return Uni.createFrom().deferred(() -> {
            reserve(request.domain(), request.jobId());
            return starter.start(connection, request, () -> release(request.jobId()))
                    .invoke(job -> slotOf(request.jobId()).ifPresent(slot -> slot.job = job))
                    .onFailure().invoke(failure -> release(request.jobId()));
        });
    }

    /** Registers a job found in QEMU after a restart; the host limit does not apply, it already runs. */
    public synchronized boolean adopt(BackupJob job, java.util.function.Consumer<BackupJob> start) {
        if (slots.containsKey(job.jobId())) {
            return false;
        }
        Slot slot = new Slot(job.domain());
        slot.job = job;
        slots.put(job.jobId(), slot);
        try {
            heldPaths.claim(job.jobId(), job.domain(), job.disks().stream().map(DiskJob::store)
                    .filter(java.util.Objects::nonNull).toList());
        } catch (CairnException e) {
            // QEMU runs it already: adopt it anyway, the clash is logged for the operator.
            org.jboss.logging.Logger.getLogger(BackupJobs.class).warnf("adopted job %s: %s", job.jobId(), e.getMessage());
        }
        start.accept(job);
        return true;
    }

    /** Called when a job has ended (or failed to start): its slot and its paths are free again. */
    public void release(String jobId) {
        heldPaths.release(jobId);
        slots.remove(jobId);
    }

    public StoreFiles storeFiles() {
        return storeFiles;
    }

    JobReportSink sink() {
        return sink;
    }

    public CreatedStores stores() {
        return stores;
    }

    public NbdPskFiles pskFiles() {
        return pskFiles;
    }

    java.time.Duration progressInterval() {
        return progressInterval;
    }

    String hostId() {
        return hostId;
    }

    /** Agent shutdown: running jobs stay in QEMU for the next agent process to adopt. */
    @jakarta.annotation.PreDestroy
    public void detachAll() {
        active().forEach(BackupJob::detach);
        slots.clear();
    }

    /** Asks the job to end; its end comes as the job's terminal report. */
    public Uni<Void> abort(AbortBackupRequest request) {
        return Uni.createFrom().deferred(() -> {
            BackupJob job = slotOf(request.jobId()).filter(slot -> slot.domain.equals(request.domain()))
                    .map(slot -> slot.job)
                    .orElseThrow(() -> new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP,
                            "no domain backup job with id '%s' present".formatted(request.jobId())));
            return job.abort();
        });
    }

    public Optional<BackupJob> job(String jobId) {
        return slotOf(jobId).map(slot -> slot.job);
    }

    public Collection<BackupJob> active() {
        return slots.values().stream().map(slot -> slot.job).filter(job -> job != null).toList();
    }

    /** True while a job with this id is being started or runs: the reconciler must leave its traces alone. */
    public boolean knows(String jobId) {
        return slots.containsKey(jobId) || otherWork.contains(jobId);
    }

    /**
     * Holds paths for work that is not a backup job (a restore writing its images): no backup may write them
     * meanwhile, and the reconciler leaves the files that work recorded alone while it runs.
     */
    public void holdForOtherWork(String workId, String domain, List<java.nio.file.Path> paths) {
        heldPaths.claim(workId, domain, paths);
        otherWork.add(workId);
    }

    public void releaseOtherWork(String workId) {
        otherWork.remove(workId);
        heldPaths.release(workId);
    }

    /** True while any job of the domain is being started or runs. */
    public boolean knowsDomain(String domain) {
        return slots.values().stream().anyMatch(slot -> slot.domain.equals(domain));
    }

    public List<String> knownJobIds() {
        return List.copyOf(slots.keySet());
    }

    private synchronized void reserve(String domain, String jobId) {
        if (!BackupNames.isUsableJobId(jobId)) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "invalid backup job id '%s'".formatted(jobId));
        }
        if (slots.containsKey(jobId)) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                    "backup job '%s' is already running".formatted(jobId));
        }
        if (slots.values().stream().anyMatch(slot -> slot.domain.equals(domain))) {
            // libvirt's words: one backup per domain at a time.
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "another backup job is already running");
        }
        if (slots.size() >= maxConcurrentJobs) {
            throw new CairnException(VirErrorCode.VIR_ERR_RESOURCE_BUSY,
                    "host already runs %d backup jobs (limit %d)".formatted(slots.size(), maxConcurrentJobs));
        }
        slots.put(jobId, new Slot(domain));
    }

    private Optional<Slot> slotOf(String jobId) {
        return Optional.ofNullable(slots.get(jobId));
    }
}
