package io.cairn.agent.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.agent.backup.BackupNames.StoreKind;
import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.inventory.DiskInventory;
import io.cairn.agent.inventory.VmInventory;
import io.cairn.agent.operation.AgentErrors;
import io.cairn.agent.operation.BitmapActions;
import io.cairn.agent.operation.BitmapChainRule;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.agent.storage.NbdAddressPolicy;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.agent.storage.StorePath;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import io.cairn.events.event.NbdPsk;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.DiskBackupMode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Starts one backup the way qemuBackupBegin does: check everything, create and attach the stores, then one
 * QMP transaction with the new checkpoint's bitmaps, the temporary bitmaps and every disk's blockdev-backup
 * (so all disks share one point in time), and for pull the NBD exports. Any failure undoes what was made.
 */
final class BackupStarter {

    private static final Logger LOG = Logger.getLogger(BackupStarter.class);

    /** How one pull's NBD server is protected, decided from the request and the agent's settings. */
    private enum Protection {
        /** tls='yes': certificates from the configured directory, as libvirt. */
        X509,
        /** TCP without tls='yes': a key made for this job alone. */
        PSK,
        /** TCP in the clear, only when the agent's settings allow it. */
        PLAIN,
        /** A unix socket without tls='yes': private to the agent's user instead. */
        UNIX
    }

    private final StoragePolicy storage;
    private final StoreFiles storeFiles;
    private final HeldPaths heldPaths;
    private final AgentConfig.Nbd nbdSettings;
    private final NbdPskFiles pskFiles;
    private final NbdAddressPolicy nbdPolicy;
    private final Optional<Path> tlsDir;
    private final long jobSpeed;
    private final JobReportSink sink;
    private final Duration progressInterval;
    private final String hostId;
    private final CreatedStores stores;

    BackupStarter(StoragePolicy storage, StoreFiles storeFiles, HeldPaths heldPaths, NbdAddressPolicy nbdPolicy,
            Optional<Path> tlsDir, long jobSpeed, JobReportSink sink, CreatedStores stores, Duration progressInterval,
            String hostId, AgentConfig.Nbd nbdSettings, NbdPskFiles pskFiles) {
        this.storage = storage;
        this.storeFiles = storeFiles;
        this.heldPaths = heldPaths;
        this.nbdSettings = nbdSettings;
        this.pskFiles = pskFiles;
        this.stores = stores;
        this.nbdPolicy = nbdPolicy;
        this.tlsDir = tlsDir;
        this.jobSpeed = jobSpeed;
        this.sink = sink;
        this.progressInterval = progressInterval;
        this.hostId = hostId;
    }

    /**
     * Every path of the job, checked: one per disk in plan order, the NBD socket (null unless unix), and per push
     * incremental disk its confined chain base (absent when unknown or refused).
     */
    private record CheckedPaths(List<StorePath> stores, StorePath socket, Map<String, Path> chainBases) {
    }

    /** What one disk needs, decided before anything is created. */
    private record DiskPlan(int index, BackupDisk request, DiskInventory source, String checkpoint, long granularity) {
        boolean incremental() {
            return checkpoint != null;
        }
    }

    Uni<BackupJob> start(DomainConnection connection, StartBackupRequest request, Runnable onFinished) {
        BackupDefinition definition = request.backup();
        BackupMode mode = definition.mode() == null ? BackupMode.PUSH : definition.mode();
        List<BackupDisk> selected = definition.disks() == null ? List.of()
                : definition.disks().stream().filter(disk -> !Boolean.FALSE.equals(disk.backup())).toList();
        if (selected.isEmpty()) {
            return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                    "no disks selected for backup"));
        }
        return connection.inventory().flatMap(vm -> {
            List<DiskPlan> plans = plan(vm, definition, selected);
            List<NodeBitmap> checkpoint = checkpointBitmaps(vm, request.checkpointBitmaps());
            checkServer(mode, definition.server());
            return Uni.createFrom().item(() -> checkStores(request, plans, mode, definition.server()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(paths -> launch(connection, request, mode, plans, paths, checkpoint, onFinished));
        });
    }

    private List<DiskPlan> plan(VmInventory vm, BackupDefinition definition, List<BackupDisk> selected) {
        List<DiskPlan> plans = new ArrayList<>();
        for (BackupDisk disk : selected) {
            if (!BackupNames.isUsableDiskName(disk.name())) {
                throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                        "disk name '%s' is not supported by the agent (at most 13 of [A-Za-z0-9_])".formatted(disk.name()));
            }
            DiskInventory source = vm.disk(disk.name()).orElseThrow(() -> AgentErrors.noDisk(disk.name()));
            if (disk.store() == null || disk.store().path() == null) {
                throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                        "refusing to generate file name for disk '%s'".formatted(disk.name()));
            }
            if (plans.stream().anyMatch(plan -> plan.request().name().equals(disk.name()))) {
                throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                        "disk '%s' specified twice".formatted(disk.name()));
            }
            String checkpoint = checkpointOf(disk, definition);
            long granularity = 0;
            if (checkpoint != null) {
                if (BitmapChainRule.problem(source, checkpoint).isPresent()) {
                    throw new CairnException(VirErrorCode.VIR_ERR_CHECKPOINT_INCONSISTENT,
                            "missing or broken bitmap '%s' for disk '%s'".formatted(checkpoint, disk.name()));
                }
                granularity = source.bitmap(checkpoint).orElseThrow().granularity();
            }
            plans.add(new DiskPlan(plans.size(), disk, source, checkpoint, granularity));
        }
        return plans;
    }

    private static String checkpointOf(BackupDisk disk, BackupDefinition definition) {
        if (disk.backupmode() == DiskBackupMode.FULL) {
            return null;
        }
        String checkpoint = disk.incremental() != null ? disk.incremental() : definition.incremental();
        if (disk.backupmode() == DiskBackupMode.INCREMENTAL && checkpoint == null) {
            throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                    "'incremental' backup mode of disk '%s' requires setting 'incremental' field for disk or backup"
                            .formatted(disk.name()));
        }
        return checkpoint;
    }

    private static List<NodeBitmap> checkpointBitmaps(VmInventory vm, List<DiskBitmap> bitmaps) {
        return bitmaps.stream().map(bitmap -> new NodeBitmap(
                vm.disk(bitmap.disk()).orElseThrow(() -> AgentErrors.noDisk(bitmap.disk())).formatNodeName(),
                bitmap.bitmap())).toList();
    }

    private void checkServer(BackupMode mode, BackupServer server) {
        if (mode == BackupMode.PUSH) {
            if (server != null) {
                throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "<server> in push mode");
            }
            return;
        }
        if (server == null) {
            throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "pull mode backup needs an NBD <server>");
        }
        String transport = server.transport() == null ? "tcp" : server.transport();
        switch (transport) {
            case "tcp" -> nbdPolicy.checkTcpBind(server.name(), server.port());
            case "unix" -> { }
            default -> throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                    "NBD transport '%s' is not supported by this agent".formatted(transport));
        }
        if (Boolean.TRUE.equals(server.tls()) && tlsDir.isEmpty()) {
            // libvirt's words when backup_tls_x509_cert_dir is unset.
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "backup TLS directory not configured");
        }
    }

    /**
     * Blocking: checks every store path (and the unix socket) to lie in the domain's storage directory, then holds
     * them for this job so no other job of the host can use one of them until it has ended.
     */
    private CheckedPaths checkStores(StartBackupRequest request, List<DiskPlan> plans, BackupMode mode,
            BackupServer server) {
        StorePath socket = null;
        if (mode == BackupMode.PULL && "unix".equals(server.transport())) {
            socket = storage.checkSocket(server.socket(), request.domain());
        }
        if (mode == BackupMode.PULL && Boolean.TRUE.equals(server.tls()) && !Files.isDirectory(tlsDir.orElseThrow())) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                    "backup TLS directory '%s' does not exist".formatted(tlsDir.get()));
        }
        List<StorePath> stores = new ArrayList<>();
        for (DiskPlan plan : plans) {
            String path = plan.request().store().path();
            String disk = plan.request().name();
            stores.add(request.reuseExternal() ? storage.checkReusedStore(path, request.domain(), disk)
                    : storage.checkNewStore(path, request.domain(), disk));
        }
        List<Path> held = new ArrayList<>(stores.stream().map(StorePath::path).toList());
        if (socket != null) {
            held.add(socket.path());
        }
        Map<String, Path> chainBases = new HashMap<>();
        if (mode == BackupMode.PUSH) {
            for (DiskPlan plan : plans) {
                String disk = plan.request().name();
                Path base = plan.incremental()
                        ? ChainBases.confined(storage, request, disk, stores.get(plan.index()).path()) : null;
                if (base != null) {
                    chainBases.put(disk, base);
                }
            }
        }
        heldPaths.claim(request.jobId(), request.domain(), held);
        return new CheckedPaths(stores, socket, chainBases);
    }

    private Uni<BackupJob> launch(DomainConnection connection, StartBackupRequest request, BackupMode mode,
            List<DiskPlan> plans, CheckedPaths paths, List<NodeBitmap> checkpoint, Runnable onFinished) {
        boolean reuse = request.reuseExternal();
        StoreKind kind = mode == BackupMode.PULL
                ? (reuse ? StoreKind.REUSED_SCRATCH : StoreKind.CREATED_SCRATCH)
                : (reuse ? StoreKind.REUSED_TARGET : StoreKind.CREATED_TARGET);
        List<DiskJob> disks = new ArrayList<>();
        for (DiskPlan plan : plans) {
            String disk = plan.request().name();
            String formatNode = BackupNames.formatNode(request.jobId(), disk, kind);
            String tempBitmap = null;
            String tempNode = null;
            if (plan.incremental()) {
                tempBitmap = mode == BackupMode.PULL && plan.request().exportbitmap() != null
                        ? plan.request().exportbitmap() : BackupNames.tempBitmap(disk);
                tempNode = mode == BackupMode.PULL ? formatNode : plan.source().formatNodeName();
            }
            String exportName = plan.request().exportname() != null ? plan.request().exportname() : disk;
            disks.add(new DiskJob(disk, plan.source().formatNodeName(), BackupNames.qemuJobId(disk, request.jobId()),
                    formatNode, BackupNames.fileNode(request.jobId(), disk, kind), paths.stores().get(plan.index()).path(),
                    kind,
                    tempNode, tempBitmap, BackupNames.exportId(formatNode), exportName));
            disks.get(disks.size() - 1).chainBase(paths.chainBases().get(disk));
        }
        BackupJob job = new BackupJob(request.jobId(), request.requestId(), hostId, mode, connection, disks, checkpoint,
                sink, stores, storeFiles, pskFiles, progressInterval, onFinished);
        job.watch();
        Uni<Void> prepared = Uni.createFrom().voidItem();
        for (int i = 0; i < plans.size(); i++) {
            DiskPlan plan = plans.get(i);
            DiskJob disk = disks.get(i);
            StorePath store = paths.stores().get(i);
            prepared = prepared.chain(() -> attachStore(connection, request, mode, plan, disk, store));
        }
        AtomicReference<NbdPsk> psk = new AtomicReference<>();
        if (mode == BackupMode.PULL) {
            prepared = prepared.chain(() -> startNbdServer(connection, job, request, paths.socket())).invoke(psk::set)
                    .replaceWithVoid();
        }
        return prepared
                .invoke(job::publishStarting)
                .chain(() -> connection.commands().transaction(actions(mode, plans, disks, checkpoint)))
                .invoke(job::transactionSucceeded)
                .onFailure().call(failure -> job.rollbackBeforeTransaction())
                .chain(() -> mode == BackupMode.PULL ? exportAll(connection, job, request, psk.get())
                        : Uni.createFrom().item((NbdEndpoint) null))
                .invoke(job::running)
                .replaceWith(job);
    }

    /** Creates (unless reused) and opens a disk's store, libvirt-style: backing of the graph given explicitly. */
    private Uni<Void> attachStore(DomainConnection connection, StartBackupRequest request, BackupMode mode,
            DiskPlan plan, DiskJob disk, StorePath store) {
        boolean reuse = request.reuseExternal();
        // An incremental push target and a pull scratch name the live disk as backing (libvirt's create path);
        // a full push target stands alone.
        boolean backed = mode == BackupMode.PULL || plan.incremental();
        String format = plan.request().store().format() == null ? "qcow2" : plan.request().store().format();
        if (mode == BackupMode.PULL && !format.equals("qcow2")) {
            return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                    "pull mode backup scratch of disk '%s' must be qcow2".formatted(disk.disk())));
        }
        Path backing = backed ? Path.of(plan.source().imageFilename()) : null;
        Uni<Void> create = reuse ? Uni.createFrom().voidItem()
                : format.equals("qcow2")
                        ? recordStore(request, disk).chain(() -> createStore(request, disk, store,
                                plan.source().virtualSize(), backing))
                        : Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                                "the agent creates only qcow2 targets, not '%s'".formatted(format)));
        ObjectNode file = QmpClient.arguments().put("driver", "file").put("node-name", disk.fileNode())
                .put("filename", disk.store().toString()).put("auto-read-only", true).put("discard", "unmap");
        ObjectNode image = QmpClient.arguments().put("driver", format).put("node-name", disk.formatNode())
                .put("file", disk.fileNode()).put("read-only", false);
        if (format.equals("qcow2")) {
            // The graph's backing is the LIVE node for scratch and incremental targets, and none for full
            // targets (libvirt's "backing": null), whatever the image header says.
            if (backed) {
                image.put("backing", plan.source().formatNodeName());
            } else {
                image.putNull("backing");
            }
        }
        return create
                .chain(() -> connection.client().execute("blockdev-add", file))
                .chain(() -> connection.client().execute("blockdev-add", image))
                .chain(() -> reuse ? Uni.createFrom().voidItem() : stillOurs(disk, store))
                .replaceWithVoid();
    }

    /**
     * Creates the file exclusively, without following symlinks, and records its inode durably: from then on only
     * that inode is ever deleted for this job.
     */
    private Uni<Void> createStore(StartBackupRequest request, DiskJob disk, StorePath store, long size, Path backing) {
        return Uni.createFrom().item(() -> {
            StoreFiles.Created created = storeFiles.create(store,
                    staging -> ImageFiles.createQcow2Now(staging, size, backing));
            disk.created(created);
            stores.created(request.jobId(), request.domain(), created);
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** QEMU opens the store by name: the name must still be the inode the agent created when it has. */
    private Uni<Void> stillOurs(DiskJob disk, StorePath store) {
        return Uni.createFrom().item(() -> {
            if (!storeFiles.stillSame(disk.created())) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                        "store '%s' was replaced while QEMU opened it: refused".formatted(store.text()));
            }
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Durably, before the file exists: an agent killed right after creating it must find it again. */
    private Uni<Void> recordStore(StartBackupRequest request, DiskJob disk) {
        return Uni.createFrom().item(() -> {
            stores.beforeCreating(request.jobId(), request.domain(), disk.store());
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Protection protection(BackupServer server, boolean allowPlain) {
        if (Boolean.TRUE.equals(server.tls())) {
            return Protection.X509;
        }
        if ("unix".equals(server.transport())) {
            return Protection.UNIX;
        }
        return allowPlain ? Protection.PLAIN : Protection.PSK;
    }

    /** Starts QEMU's NBD server, capped and protected; yields the job's key when it has one (else null). */
    private Uni<NbdPsk> startNbdServer(DomainConnection connection, BackupJob job, StartBackupRequest request,
            StorePath socket) {
        BackupServer server = request.backup().server();
        Protection protection = protection(server, nbdSettings.allowPlain());
        ObjectNode arguments = QmpClient.arguments();
        ObjectNode addr = arguments.putObject("addr");
        boolean unix = "unix".equals(server.transport());
        if (unix) {
            addr.put("type", "unix").putObject("data").put("path", socket.path().toString());
        } else {
            addr.put("type", "inet").putObject("data").put("host", server.name()).put("port", server.port().toString());
        }
        arguments.put("max-connections", nbdSettings.maxConnections());
        String tlsId = BackupNames.tlsObjectId(request.jobId());
        Uni<NbdPsk> credentials = switch (protection) {
            case X509 -> connection.client().execute("object-add", QmpClient.arguments()
                    .put("qom-type", "tls-creds-x509").put("id", tlsId).put("dir", tlsDir.orElseThrow().toString())
                    .put("endpoint", "server").put("verify-peer", false)).replaceWith((NbdPsk) null);
            case PSK -> Uni.createFrom().item(() -> pskFiles.create(request.jobId(), request.domain()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .call(key -> connection.client().execute("object-add", QmpClient.arguments()
                            .put("qom-type", "tls-creds-psk").put("id", tlsId)
                            .put("dir", pskFiles.dirOf(request.jobId()).toString()).put("endpoint", "server")));
            case PLAIN -> {
                LOG.warnf("backup job %s of %s: NBD server on %s:%s WITHOUT TLS or key (cairn.agent.nbd.allow-plain):"
                        + " anyone who reaches it reads the disks", request.jobId(), request.domain(), server.name(),
                        server.port());
                yield Uni.createFrom().nullItem();
            }
            case UNIX -> Uni.createFrom().nullItem();
        };
        boolean withTls = protection == Protection.X509 || protection == Protection.PSK;
        if (withTls) {
            arguments.put("tls-creds", tlsId);
        }
        return credentials
                .invoke(() -> job.nbdServerStarted(withTls ? tlsId : null))
                .call(() -> connection.client().execute("nbd-server-start", arguments))
                .call(() -> unix ? ownerOnly(socket.path()) : Uni.createFrom().voidItem());
    }

    /**
     * QEMU creates the socket with its own umask; connecting needs write permission on it, so 0600 leaves it to the
     * agent's (and QEMU's) user. Done before any export exists, so a client that got in earlier finds nothing to read.
     */
    private static Uni<Void> ownerOnly(Path socket) {
        return Uni.createFrom().item(() -> {
            try {
                // chmod(2) follows symlinks: only the socket QEMU made there is made private, nothing it might name.
                if (!Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                    throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                            "NBD socket '%s' is not the socket QEMU made: refused".formatted(socket));
                }
                try {
                    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
                } catch (java.nio.file.FileSystemException notOwner) {
                    // QEMU running as another user than the agent (only the owner may chmod): its umask already
                    // kept group and others from writing, i.e. from connecting, is just as private.
                    if (!onlyItsOwnerMayConnect(socket)) {
                        throw notOwner;
                    }
                }
            } catch (IOException e) {
                throw new CairnException(VirErrorCode.VIR_ERR_SYSTEM_ERROR,
                        "cannot make NBD socket '%s' private: %s".formatted(socket, e.getMessage()));
            }
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Whether only the socket's owner can connect (connecting needs write permission on the socket). */
    private static boolean onlyItsOwnerMayConnect(Path socket) throws IOException {
        var permissions = Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS);
        return !permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                && !permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
    }

    private List<TransactionAction> actions(BackupMode mode, List<DiskPlan> plans, List<DiskJob> disks,
            List<NodeBitmap> checkpoint) {
        List<TransactionAction> actions = new ArrayList<>();
        checkpoint.forEach(bitmap -> actions.add(BitmapActions.checkpoint(bitmap.node(), bitmap.name())));
        for (int i = 0; i < plans.size(); i++) {
            DiskPlan plan = plans.get(i);
            DiskJob disk = disks.get(i);
            String sync = mode == BackupMode.PULL ? "none" : plan.incremental() ? "incremental" : "full";
            if (plan.incremental()) {
                // Never hand QEMU the checkpoint bitmap itself: sync=incremental clears its bitmap on success.
                actions.add(BitmapActions.temporary(disk.tempBitmapNode(), disk.tempBitmap(), plan.granularity()));
                actions.add(BitmapActions.mergeFrom(disk.tempBitmapNode(), disk.tempBitmap(), disk.sourceNode(),
                        plan.checkpoint()));
            }
            TransactionAction backup = TransactionAction.blockdevBackup(disk.qemuJobId(), disk.sourceNode(),
                    disk.formatNode(), sync);
            backup.data().put("auto-finalize", true);
            if (mode == BackupMode.PUSH && plan.incremental()) {
                backup.data().put("bitmap", disk.tempBitmap());
            }
            if (jobSpeed > 0) {
                backup.data().put("speed", jobSpeed);
            }
            actions.add(backup);
        }
        return actions;
    }

    private Uni<NbdEndpoint> exportAll(DomainConnection connection, BackupJob job, StartBackupRequest request,
            NbdPsk psk) {
        BackupServer server = request.backup().server();
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<NbdExport> exports = new ArrayList<>();
        for (DiskJob disk : job.disks()) {
            ObjectNode arguments = QmpClient.arguments().put("type", "nbd").put("id", disk.exportId())
                    .put("node-name", disk.formatNode()).put("name", disk.exportName()).put("writable", false);
            if (disk.tempBitmap() != null) {
                arguments.putArray("bitmaps").add(disk.tempBitmap());
            }
            chain = chain.chain(() -> connection.client().execute("block-export-add", arguments)).replaceWithVoid();
            exports.add(new NbdExport(disk.disk(), disk.exportName(), disk.tempBitmap(),
                    NbdExport.bitmapContextOf(disk.tempBitmap()), uri(server, disk.exportName(), psk)));
        }
        Function<Throwable, Uni<? extends NbdEndpoint>> undo = failure -> job.failAfterTransaction(failure)
                .onItemOrFailure().transformToUni((ignored, ignoredFailure) -> Uni.createFrom().failure(failure));
        return chain.map(ignored -> new NbdEndpoint(server, exports, psk)).onFailure().recoverWithUni(undo);
    }

    /** libnbd's URI form; with a key, its user name in the authority (libnbd 1.14 has no tls-username parameter). */
    private static String uri(BackupServer server, String exportName, NbdPsk psk) {
        boolean tls = Boolean.TRUE.equals(server.tls()) || psk != null;
        if ("unix".equals(server.transport())) {
            return (tls ? "nbds+unix" : "nbd+unix") + ":///" + exportName + "?socket=" + server.socket();
        }
        String host = server.name().contains(":") ? "[" + server.name() + "]" : server.name();
        String user = psk == null ? "" : psk.username() + "@";
        return (tls ? "nbds" : "nbd") + "://" + user + host + ":" + server.port() + "/" + exportName;
    }
}
