package io.cairn.agent.restore;

import io.cairn.agent.backup.BackupJobs;
import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StorePath;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.EndRestoreRequest;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.RestoreMode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The restores of this host. Accepts one only after checking its whole plan (every artifact a regular file of the
 * agent's in the domain's own directory, every target new there, the chain readable with explicit backings), then
 * runs it in the background and reports it. A restore needs no running domain: a VM deleted since its backups can
 * still be restored. Its targets are held like backup targets, so no backup can write them meanwhile.
 */
@ApplicationScoped
public class RestoreJobs {

    private final AgentConfig config;
    private final StoragePolicy policy;
    private final BackupJobs backups;
    private final RestoreReportSink sink;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** The runs under way, by restore id, for restore.end to abort. */
    private final Map<String, RestoreRun> runs = new ConcurrentHashMap<>();
    /** Restores read and write whole disks: a few at a time, apart from the request threads. */
    private static final Logger LOG = Logger.getLogger(RestoreJobs.class);
    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "cairn-restore");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public RestoreJobs(AgentConfig config, StoragePolicy policy, BackupJobs backups, RestoreReportSink sink) {
        this.config = config;
        this.policy = policy;
        this.backups = backups;
        this.sink = sink;
    }

    /** Checks the plan and starts the restore; the Uni ends once it runs (or fails, with nothing created). */
    public Uni<Void> start(StartRestoreRequest request) {
        return Uni.createFrom().item(() -> {
            startNow(request);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public boolean knows(String restoreId) {
        return running.contains(restoreId);
    }

    /**
     * Aborts a running restore (restore.end): its qemu-img is killed and the run reports FAILED with
     * VIR_ERR_OPERATION_ABORTED once what it created is deleted. One this agent does not run (it ended, its report
     * is on its way; or it died with an earlier agent, whose reconciler deleted its image) is reported FAILED as
     * the last word, so the service never waits for a restore nothing runs.
     */
    public Uni<Void> abort(EndRestoreRequest request) {
        return Uni.createFrom().item(() -> {
            RestoreRun run = runs.get(request.restoreId());
            if (run != null) {
                LOG.infof("restore %s of %s: aborting (%s)", request.restoreId(), request.domain(),
                        request.requestId());
                run.abort();
            } else {
                sink.publish(new RestoreJobReport(request.restoreId(), config.hostId(), request.domain(),
                        RestoreJobReport.LAST_WORD, RestoreJobState.FAILED, 0, 0, List.of(),
                        ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_ABORTED, "operation aborted: restore "
                                + request.restoreId() + " is not running on host " + config.hostId()
                                + " (it ended, or died with an earlier agent, which deleted what it wrote)"),
                        Instant.now(), List.of(), null));
            }
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()); // killing a process tree may take a moment
    }

    private void startNow(StartRestoreRequest request) {
        if (request.restoreId() == null || !request.restoreId().matches("[A-Za-z0-9-]{1,64}")) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "invalid restore id '" + request.restoreId()
                    + "'");
        }
        if (request.disks().isEmpty()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "a restore needs at least one disk");
        }
        if (!running.add(request.restoreId())) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "restore '" + request.restoreId()
                    + "' is already running");
        }
        try {
            List<RestoreRun.DiskWork> work = checkedPlan(request);
            backups.holdForOtherWork(request.restoreId(), request.domain(), work.stream()
                    .filter(disk -> disk.target() != null).map(disk -> disk.target().path()).toList());
            RestoreRun run = new RestoreRun(config.hostId(), request.domain(), request.restoreId(), mode(request),
                    work, policy, backups.storeFiles(), backups.stores(), sink, config.progressInterval(),
                    config.restoreRateLimit(), () -> {
                        backups.releaseOtherWork(request.restoreId());
                        runs.remove(request.restoreId());
                        running.remove(request.restoreId());
                    });
            runs.put(request.restoreId(), run);
            workers.execute(run);
        } catch (RuntimeException e) {
            running.remove(request.restoreId());
            throw e;
        }
    }

    private List<RestoreRun.DiskWork> checkedPlan(StartRestoreRequest request) {
        RestoreMode mode = mode(request);
        List<RestoreRun.DiskWork> work = new ArrayList<>();
        Set<Path> targets = new HashSet<>();
        for (DiskRestorePlan plan : request.disks()) {
            if (mode == RestoreMode.REGISTER) {
                // Refused here, before anything is read: a file outside the domain's directory or of another format.
                work.add(PullOutputCheck.checked(plan, request.domain(), policy));
                continue;
            }
            if (mode == RestoreMode.VERIFY) {
                // Each artifact is confined and checked when it is read: a missing one is a verdict, not a refusal.
                work.add(new RestoreRun.DiskWork(plan, null, 0));
                continue;
            }
            if (plan.chain().isEmpty()) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "disk '" + plan.disk()
                        + "' has no artifacts to restore from");
            }
            if (!"qcow2".equals(plan.format()) && !(mode == RestoreMode.COPY && "raw".equals(plan.format()))) {
                throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: "
                        + "cannot restore disk '" + plan.disk() + "' " + mode.wire() + " as '" + plan.format() + "'");
            }
            for (RestoreLink link : plan.chain()) {
                policy.checkArtifact(link.path(), request.domain(), plan.disk());
            }
            StorePath target = policy.checkNewFile(plan.target(), request.domain(),
                    "restore target '%s' of disk '%s'".formatted(plan.target(), plan.disk()));
            if (!targets.add(target.path())) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "two disks would be restored to '"
                        + plan.target() + "'");
            }
            if (mode == RestoreMode.THIN) {
                ChainSpec.asBackingReference(plan.chain());
            }
            ChainSpec.of(plan.chain()); // formats and stacking checked before anything runs
            // The newest link's header gives the disk's size (qemu-img info never opens backing files).
            RestoreLink top = plan.chain().get(plan.chain().size() - 1);
            long virtualSize = RestoreRun.ImageInfo.of(top.path(), ChainSpec.formatOf(top)).path("virtual-size")
                    .asLong();
            work.add(new RestoreRun.DiskWork(plan, target, virtualSize));
        }
        return work;
    }

    private static RestoreMode mode(StartRestoreRequest request) {
        return request.mode() == null ? RestoreMode.COPY : request.mode();
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
