package io.cairn.agent.restore;

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
import io.cairn.events.event.NbdEndpoint;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Instant restore on this host: a restore.start of mode export checks every artifact against the catalog's checksum
 * (as a copy does), then serves the chains read-only through {@link ChainExports} and reports the endpoint (state
 * EXPORTED), again every heartbeat while it serves, so the service can tell a live export from a lost one. It ends
 * by restore.end (COMPLETED) or when its daemon dies (FAILED). A restarted agent's reconcile stops what a dead one
 * left serving and reports those exports FAILED with {@link RestoreJobReport#LAST_WORD}: nothing stays "exported"
 * with nothing behind it.
 */
@ApplicationScoped
public class ExportRestores {
    private static final Logger LOG = Logger.getLogger(ExportRestores.class);
    private static final String RESTORE_ID = "[A-Za-z0-9-]{1,64}";

    private final String hostId;
    private final StoragePolicy policy;
    private final ChainExports exports;
    private final RestoreReportSink sink;
    private final Duration heartbeat;
    private final Map<String, Export> known = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cairn-export-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public ExportRestores(AgentConfig config, StoragePolicy policy, ChainExports exports, RestoreReportSink sink,
            @ConfigProperty(name = "cairn.restore.export-heartbeat", defaultValue = "30s") Duration heartbeat) {
        this(config.hostId(), policy, exports, sink, heartbeat);
    }

    public ExportRestores(String hostId, StoragePolicy policy, ChainExports exports, RestoreReportSink sink,
            Duration heartbeat) {
        this.hostId = hostId;
        this.policy = policy;
        this.exports = exports;
        this.sink = sink;
        this.heartbeat = heartbeat;
    }

    /** One export restore, from its checks to its end; its reports are numbered in order. */
    private final class Export {
        final String restoreId;
        final String domain;
        final List<DiskRestorePlan> disks;
        final long total;
        final AtomicLong sequence = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        volatile ChainExport serving;
        volatile ScheduledFuture<?> beat;
        volatile boolean ending;
        volatile Instant lastProgress = Instant.EPOCH;

        Export(StartRestoreRequest request) {
            this.restoreId = request.restoreId();
            this.domain = request.domain();
            this.disks = request.disks();
            this.total = disks.stream().flatMap(disk -> disk.chain().stream()).mapToLong(RestoreLink::size).sum();
        }

        synchronized void report(RestoreJobState state, ErrorInfo error, NbdEndpoint nbd) {
            long reported = state == RestoreJobState.RUNNING ? Math.min(done.get(), total) : total;
            sink.publish(new RestoreJobReport(restoreId, hostId, domain, sequence.getAndIncrement(), state, total,
                    reported, List.of(), error, Instant.now(), List.of(), nbd));
        }
    }

    /** Checks the plan (ids, artifacts confined to the domain's directory) and starts the export in the background. */
    public Uni<Void> start(StartRestoreRequest request) {
        return Uni.createFrom().item(() -> {
            startNow(request);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Stops a served export and reports it COMPLETED; one this agent does not know is reported ended too. */
    public Uni<Void> end(EndRestoreRequest request) {
        return Uni.createFrom().item(() -> {
            endNow(request);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public boolean knows(String restoreId) {
        return known.containsKey(restoreId);
    }

    private void startNow(StartRestoreRequest request) {
        if (request.restoreId() == null || !request.restoreId().matches(RESTORE_ID)) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "invalid restore id '" + request.restoreId()
                    + "'");
        }
        List<DiskChain> chains = chainsOf(request);
        StorePath socket = socketOf(request);
        Export export = new Export(request);
        if (known.putIfAbsent(request.restoreId(), export) != null) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "restore '" + request.restoreId()
                    + "' is already running");
        }
        export.report(RestoreJobState.RUNNING, null, null);
        // Checksums read whole files: not on the request thread, which answers once the plan is accepted.
        Infrastructure.getDefaultWorkerPool().execute(() -> serve(export, chains, socket));
    }

    private void serve(Export export, List<DiskChain> chains, StorePath socket) {
        try {
            for (DiskRestorePlan disk : export.disks) {
                for (RestoreLink link : disk.chain()) {
                    ArtifactCheck.verify(link, disk.disk(), bytes -> progress(export, bytes));
                }
            }
            ChainExport serving = exports.start(export.restoreId, export.domain, socket, chains);
            export.serving = serving;
            export.report(RestoreJobState.EXPORTED, null, serving.endpoint());
            export.beat = timer.scheduleAtFixedRate(() -> beat(export), heartbeat.toMillis(), heartbeat.toMillis(),
                    TimeUnit.MILLISECONDS);
            serving.onExit().thenRun(() -> exited(export));
            LOG.infof("export restore %s of %s serves %d disk(s) on %s", export.restoreId, export.domain,
                    chains.size(), socket.path());
        } catch (RuntimeException | Error failure) {
            known.remove(export.restoreId);
            CairnException cairn = failure instanceof CairnException known ? known
                    : new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "internal error: export restore "
                            + export.restoreId + " failed: " + failure.getMessage());
            LOG.warnf("export restore %s of %s failed: %s", export.restoreId, export.domain, cairn.getMessage());
            export.report(RestoreJobState.FAILED, cairn.toErrorInfo(), null);
        }
    }

    private void progress(Export export, long bytes) {
        export.done.addAndGet(bytes);
        if (Instant.now().isAfter(export.lastProgress.plus(Duration.ofSeconds(1)))) {
            export.lastProgress = Instant.now();
            export.report(RestoreJobState.RUNNING, null, null);
        }
    }

    /** While it serves, the export says so again: its report is the service's sign that it is still there. */
    private void beat(Export export) {
        ChainExport serving = export.serving;
        if (!export.ending && serving != null && serving.alive()) {
            export.report(RestoreJobState.EXPORTED, null, serving.endpoint());
        }
    }

    /** The daemon is gone: by restore.end (reported there), or on its own (killed, an I/O error): FAILED. */
    private void exited(Export export) {
        cancelBeat(export);
        if (export.ending) {
            return;
        }
        known.remove(export.restoreId);
        export.serving.close(); // its socket, key and record
        LOG.warnf("export restore %s of %s: qemu-storage-daemon exited on its own", export.restoreId, export.domain);
        export.report(RestoreJobState.FAILED, ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation "
                + "failed: the NBD export of restore " + export.restoreId + " stopped on its own "
                + "(qemu-storage-daemon exited)"), null);
    }

    private void endNow(EndRestoreRequest request) {
        Export export = known.get(request.restoreId());
        if (export == null) {
            // Restarted since (the reconcile stopped the daemon) or ended already: nothing serves it, say so for good.
            sink.publish(new RestoreJobReport(request.restoreId(), hostId, request.domain(),
                    RestoreJobReport.LAST_WORD, RestoreJobState.COMPLETED, 0, 0, List.of(), null, Instant.now(),
                    List.of(), null));
            return;
        }
        if (export.serving == null) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: "
                    + "restore " + request.restoreId() + " is still checking its artifacts; it does not serve yet");
        }
        export.ending = true;
        cancelBeat(export);
        export.serving.close();
        known.remove(request.restoreId());
        LOG.infof("export restore %s of %s ended", export.restoreId, export.domain);
        export.report(RestoreJobState.COMPLETED, null, null);
    }

    private static void cancelBeat(Export export) {
        ScheduledFuture<?> beat = export.beat;
        if (beat != null) {
            beat.cancel(false);
        }
    }

    /** Every disk's chain, each link confined to the domain's directory and of the agent's user. */
    private List<DiskChain> chainsOf(StartRestoreRequest request) {
        if (request.disks().isEmpty()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "a restore needs at least one disk");
        }
        List<DiskChain> chains = new ArrayList<>();
        for (DiskRestorePlan plan : request.disks()) {
            if (plan.chain().isEmpty()) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "disk '" + plan.disk()
                        + "' has no artifacts to export");
            }
            List<ChainLink> links = new ArrayList<>();
            for (RestoreLink link : plan.chain()) {
                StorePath artifact = policy.checkArtifact(link.path(), request.domain(), plan.disk());
                links.add(new ChainLink(artifact.path(), ChainSpec.formatOf(link)));
            }
            chains.add(DiskChain.of(plan.disk(), links));
        }
        return chains;
    }

    /**
     * The export's socket: beside the first disk's newest artifact (so in the domain's directory), named by the
     * restore id's first part, short because a unix socket's path is at most 107 bytes.
     */
    private StorePath socketOf(StartRestoreRequest request) {
        List<RestoreLink> chain = request.disks().get(0).chain();
        Path directory = Path.of(chain.get(chain.size() - 1).path()).getParent();
        String name = ".export-" + request.restoreId().substring(0, Math.min(8, request.restoreId().length()))
                + ".sock";
        return policy.checkSocket(directory.resolve(name).toString(), request.domain());
    }

    /**
     * Stops the daemons a dead agent left serving, and reports each of those exports FAILED as the last word on
     * it, so the service ends the restore at once instead of after its silence bound. Blocking.
     *
     * @return what was done, one line each
     */
    public List<String> reconcile() {
        List<String> done = new ArrayList<>();
        for (ChainExports.Leftover leftover : exports.reconcileLeftovers()) {
            done.add(leftover.what());
            if (leftover.stopped()) {
                sink.publish(new RestoreJobReport(leftover.exportId(), hostId, leftover.domain(),
                        RestoreJobReport.LAST_WORD, RestoreJobState.FAILED, 0, 0, List.of(),
                        ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: the host agent "
                                + "restarted and stopped the NBD export of restore " + leftover.exportId()
                                + " its previous process had left"), Instant.now(), List.of(), null));
            }
        }
        return done;
    }

    void onStart(@Observes StartupEvent event) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                reconcile().forEach(line -> LOG.info("startup reconcile: " + line));
            } catch (RuntimeException e) {
                LOG.warn("restore export reconcile failed", e);
            }
        });
    }

    /** Agent shutdown: stop serving, and say so while the reports can still go out. */
    @PreDestroy
    public void stopAll() {
        timer.shutdownNow();
        for (Export export : known.values()) {
            if (export.serving != null) {
                export.ending = true;
                export.serving.close();
                export.report(RestoreJobState.FAILED, ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                        "operation failed: the host agent stopped, and with it the NBD export of restore "
                                + export.restoreId), null);
            }
        }
        known.clear();
    }
}
