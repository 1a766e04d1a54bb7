package io.cairn.agent.restore;

import io.cairn.agent.backup.BackupNames;
import io.cairn.agent.backup.NbdPskFiles;
import io.cairn.agent.backup.ProcessOutput;
import io.cairn.agent.messaging.AgentMessagingConfig;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StorePath;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import io.cairn.events.event.NbdPsk;
import io.cairn.events.model.BackupServer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts, tracks and cleans up the agent's restore-point exports ({@link ChainExport}): the building block of
 * instant restore. Every daemon is recorded in the agent's state directory before it is spawned, so the
 * {@link #reconcile()} of a restarted agent stops what a dead one left running. Keys live in their own directory
 * ({@code <state>/restore-psk}), apart from the pull jobs' ({@code nbd-psk}), which the backup reconciler sweeps by
 * job id. Every public method blocks (processes, files, a socket probe): call them on a worker thread.
 *
 * <p>Measured on the shared 2-core test machine ({@code ChainExportBenchmarkTest}, warm cache, two runs): 31-46 ms
 * median from {@link #start} to a socket that greets, 4-7 ms to close; nbdcopy reads a 256 MiB three-link qcow2
 * chain through the export at 159-175 MiB/s, a raw file through the same kind of export at 151-174 MiB/s, the same
 * raw file locally at about 4-5 GiB/s and (by hand) through a plain unix NBD socket without TLS at about 1.25 GiB/s:
 * TLS, not the chain, is the cost.
 */
@Singleton
public class ChainExports {

    private static final Logger LOG = Logger.getLogger(ChainExports.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int STDERR_KEPT = 8192;

    private final StoragePolicy storage;
    private final NbdPskFiles keys;
    private final ExportRecords records;
    private final Duration readyTimeout;
    /** Export ids this process owns, from the moment a start begins: reconcile never touches them. */
    private final Set<String> owned = ConcurrentHashMap.newKeySet();
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private record Running(ChainExport export, Path socket) {
    }

    @Inject
    public ChainExports(AgentMessagingConfig config, StoragePolicy storage) {
        this(config.stateDir(), storage);
    }

    /**
     * Records under {@code stateDir/chain-exports}, keys under {@code stateDir/restore-psk}; every artifact must pass
     * {@code storage}'s {@link StoragePolicy#checkArtifact}.
     */
    public ChainExports(Path stateDir, StoragePolicy storage) {
        this(stateDir, storage, Duration.ofSeconds(10));
    }

    ChainExports(Path stateDir, StoragePolicy storage, Duration readyTimeout) {
        this.storage = storage;
        this.keys = new NbdPskFiles(stateDir.resolve("restore-psk"));
        this.records = new ExportRecords(stateDir.resolve("chain-exports"));
        this.readyTimeout = readyTimeout;
    }

    /** One disk exported under its own name. See {@link #start(String, String, StorePath, List)}. */
    public ChainExport start(String exportId, String domain, StorePath socket, String disk,
            List<ChainLink> chainFullFirst) {
        return start(exportId, domain, socket, List.of(DiskChain.of(disk, chainFullFirst)));
    }

    /**
     * Starts one qemu-storage-daemon exporting each disk's chain read-only on one NBD server at {@code socket}, TLS
     * with a fresh pre-shared key, and returns once the socket answers (at most 10 s). Blocking.
     *
     * @param exportId unique among this agent's exports; names the key directory and the record
     *                 ({@code [A-Za-z0-9][A-Za-z0-9._-]*})
     * @param domain   the domain the restore point belongs to, for the record and logs
     * @param socket   checked by the caller with {@code StoragePolicy.checkSocket} to lie in the domain's directory
     * @param disks    one or more disks, distinct export names, each chain full first; every artifact a regular file
     *                 of the agent's user in the domain's storage directory ({@link StoragePolicy#checkArtifact})
     * @throws CairnException VIR_ERR_OPERATION_INVALID if the id is in use, VIR_ERR_RESOURCE_BUSY if anything
     *                        already answers on the socket, VIR_ERR_SYSTEM_ERROR naming a missing artifact,
     *                        VIR_ERR_OPERATION_DENIED for one outside the domain's directory, a symlink or another
     *                        user's, VIR_ERR_OPERATION_FAILED with the daemon's stderr if it exits,
     *                        VIR_ERR_OPERATION_TIMEOUT if it never answers
     */
    public ChainExport start(String exportId, String domain, StorePath socket, List<DiskChain> disks) {
        if (!BackupNames.isUsableJobId(exportId)) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                    "restore export id '%s' must match [A-Za-z0-9][A-Za-z0-9._-]*".formatted(exportId));
        }
        List<DiskChain> checked = checked(exportId, domain, disks);
        Path socketPath = socket.path();
        if (!owned.add(exportId)) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                    "restore export '%s' is already running".formatted(exportId));
        }
        try {
            // A previous agent's daemon of the same id would share this one's key directory, the reconciler's marker.
            records.get(exportId).ifPresent(this::settle);
            if (running.values().stream().anyMatch(other -> other.socket().equals(socketPath))
                    || NbdGreeting.someoneListens(socketPath)) {
                // QEMU unlinks whatever the path names before binding: it would silently steal a live server's socket.
                throw new CairnException(VirErrorCode.VIR_ERR_RESOURCE_BUSY,
                        "something already listens on NBD socket '%s'".formatted(socket.text()));
            }
            ChainExport export = spawn(exportId, domain, socketPath, checked);
            running.put(exportId, new Running(export, socketPath));
            return export;
        } catch (RuntimeException e) {
            owned.remove(exportId);
            throw e;
        }
    }

    /** The running export of this id, if this agent process started it and it was not closed. */
    public Optional<ChainExport> get(String exportId) {
        return Optional.ofNullable(running.get(exportId)).map(Running::export);
    }

    private ChainExport spawn(String exportId, String domain, Path socket, List<DiskChain> disks) {
        Path keyDir = keys.dirOf(exportId);
        records.beforeStart(exportId, domain, socket, keyDir);
        Process process = null;
        try {
            NbdPsk psk = keys.create(exportId, domain);
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\""));
            // The umask makes QEMU create the socket 0600 at bind(): no moment when another user may connect.
            command.addAll(QsdCommand.of(disks, socket, keyDir));
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            records.started(exportId, process.pid());
            ProcessOutput stderr = ProcessOutput.drain(process.getErrorStream(), STDERR_KEPT,
                    "qsd-stderr-" + exportId);
            awaitReady(exportId, domain, process, stderr, socket);
            requireOwnerOnly(socket);
            LOG.infof("restore export %s of %s: qemu-storage-daemon pid %d serves %d disk(s) on %s", exportId, domain,
                    process.pid(), disks.size(), socket);
            return new ChainExport(exportId, domain, process, endpoint(socket, disks, psk), this);
        } catch (IOException e) {
            cleanUp(exportId, process, socket);
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                    "cannot start qemu-storage-daemon for restore export '%s': %s".formatted(exportId, e.getMessage()), e);
        } catch (RuntimeException e) {
            cleanUp(exportId, process, socket);
            throw e;
        }
    }

    /** Polls the socket until the daemon greets, failing at once when it exits. */
    private void awaitReady(String exportId, String domain, Process process, ProcessOutput stderr, Path socket) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                            "qemu-storage-daemon for restore export '%s' of '%s' exited with %d: %s".formatted(
                                    exportId, domain, process.exitValue(), stderr.text(1, TimeUnit.SECONDS)));
                }
                if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && NbdGreeting.answers(socket,
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) {
                    return;
                }
                // Waiting on the process doubles as the poll interval and notices its exit at once.
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
            QsdProcesses.stop(process.toHandle(), STOP_GRACE);
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT,
                    "qemu-storage-daemon for restore export '%s' of '%s' did not answer on '%s' within %d s: %s"
                            .formatted(exportId, domain, socket, readyTimeout.toSeconds(),
                                    stderr.text(1, TimeUnit.SECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_ABORTED,
                    "interrupted while starting restore export '%s'".formatted(exportId));
        }
    }

    /** Called by {@link ChainExport#close()}: the daemon, then its socket, key and record. */
    void stopped(ChainExport export, ProcessHandle process) {
        String exportId = export.exportId();
        Running entry = running.get(exportId);
        boolean gone = QsdProcesses.stop(process, STOP_GRACE);
        if (!gone) {
            // The record stays, so a later reconcile tries again; the key stays too, or the daemon's clients break.
            LOG.warnf("restore export %s: qemu-storage-daemon pid %d survived SIGKILL", exportId, process.pid());
            return;
        }
        deleteSocket(entry == null ? null : entry.socket());
        keys.delete(exportId);
        records.remove(exportId);
        running.remove(exportId);
        owned.remove(exportId);
        LOG.infof("restore export %s of %s stopped", exportId, export.domain());
    }

    /** A previous agent process's export found by {@link #reconcileLeftovers()}: stopped (or already gone), or not. */
    public record Leftover(String exportId, String domain, boolean stopped, String what) {
    }

    /**
     * Stops every daemon a previous agent process recorded and did not stop (this process's own exports are left
     * alone), then removes its socket, key and record. A recorded pid is only signalled while
     * {@code /proc/<pid>/cmdline} still shows qemu-storage-daemon with that export's key directory. Blocking.
     *
     * @return what was done, one line each, for logs and tests
     */
    public List<String> reconcile() {
        return reconcileLeftovers().stream().map(Leftover::what).toList();
    }

    /** {@link #reconcile()}, telling which export each line is about and whether nothing serves it any more. */
    public List<Leftover> reconcileLeftovers() {
        List<Leftover> done = new ArrayList<>();
        Set<String> recorded = new HashSet<>();
        for (ExportRecords.Entry entry : records.all()) {
            recorded.add(entry.exportId());
            if (!owned.contains(entry.exportId())) {
                done.add(settle(entry));
            }
        }
        for (NbdPskFiles.Entry key : keys.all()) {
            // A key without a record: written after the record, so its daemon was never started or is stopped.
            if (!owned.contains(key.jobId()) && !recorded.contains(key.jobId())) {
                keys.delete(key.jobId());
                done.add(new Leftover(key.jobId(), key.domain(), true,
                        "%s: deleted the key of restore export %s".formatted(key.domain(), key.jobId())));
            }
        }
        return done;
    }

    /** Stops a previous agent's daemon of this record, if it still runs, then removes its socket, key and record. */
    private Leftover settle(ExportRecords.Entry entry) {
        String marker = QsdCommand.marker(entry.keyDir());
        Optional<ProcessHandle> daemon = entry.pid().isPresent()
                ? ProcessHandle.of(entry.pid().getAsLong())
                        .filter(process -> QsdProcesses.isDaemonWith(process.pid(), marker))
                : QsdProcesses.find(marker);
        String what;
        if (daemon.isPresent()) {
            if (!QsdProcesses.stop(daemon.get(), STOP_GRACE)) {
                return new Leftover(entry.exportId(), entry.domain(), false, "%s: restore export %s: pid %d could not be stopped"
                        .formatted(entry.domain(), entry.exportId(), daemon.get().pid()));
            }
            what = "%s: stopped leftover restore export %s (pid %d)".formatted(entry.domain(), entry.exportId(),
                    daemon.get().pid());
        } else {
            what = "%s: restore export %s had no daemon left".formatted(entry.domain(), entry.exportId());
        }
        deleteSocket(entry.socket());
        keys.delete(entry.exportId());
        records.remove(entry.exportId());
        LOG.info(what);
        return new Leftover(entry.exportId(), entry.domain(), true, what);
    }

    // The startup reconcile is ExportRestores', which also tells backup-service that those exports ended.

    /** Agent shutdown: no daemon may outlive the agent that knows about it. */
    @PreDestroy
    public void closeAll() {
        running.values().forEach(entry -> entry.export().close());
    }

    /** The disks with every link checked to be the agent's own artifact in the domain's directory, paths resolved. */
    private List<DiskChain> checked(String exportId, String domain, List<DiskChain> disks) {
        if (disks == null || disks.isEmpty()) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "restore export '%s' has no disk".formatted(exportId));
        }
        Set<String> names = new HashSet<>();
        List<DiskChain> checked = new ArrayList<>();
        for (DiskChain disk : disks) {
            if (!names.add(disk.exportName())) {
                throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                        "restore export '%s' names export '%s' twice".formatted(exportId, disk.exportName()));
            }
            List<ChainLink> links = disk.chainFullFirst();
            List<ChainLink> resolved = new ArrayList<>();
            for (int i = 0; i < links.size(); i++) {
                try {
                    StorePath artifact = storage.checkArtifact(links.get(i).path().toString(), domain, disk.disk());
                    resolved.add(new ChainLink(artifact.path(), links.get(i).format()));
                } catch (CairnException e) {
                    throw new CairnException(e.code(), "link %d of %d of disk '%s': %s".formatted(i + 1, links.size(),
                            disk.disk(), e.getMessage()));
                }
            }
            checked.add(new DiskChain(disk.disk(), disk.exportName(), resolved));
        }
        return checked;
    }

    private static NbdEndpoint endpoint(Path socket, List<DiskChain> disks, NbdPsk psk) {
        // libnbd 1.14 takes the PSK identity only from the URI's authority (it has no tls-username parameter).
        List<NbdExport> exports = disks.stream().map(disk -> new NbdExport(disk.disk(), disk.exportName(), null, null,
                "nbds+unix://" + psk.username() + "@/" + disk.exportName() + "?socket=" + socket)).toList();
        return new NbdEndpoint(new BackupServer("unix", null, null, socket.toString(), null, true), exports, psk);
    }

    /** Connecting needs write permission on the socket: nobody but its owner may have it. */
    private static void requireOwnerOnly(Path socket) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                    "NBD socket '%s' is writable by others (%s): refused".formatted(socket, permissions));
        }
    }

    private void cleanUp(String exportId, Process process, Path socket) {
        if (process != null && !QsdProcesses.stop(process.toHandle(), STOP_GRACE)) {
            LOG.warnf("restore export %s: qemu-storage-daemon pid %d survived SIGKILL; left for reconcile", exportId,
                    process.pid());
            return;
        }
        deleteSocket(socket);
        keys.delete(exportId);
        records.remove(exportId);
    }

    /** Removes the socket file QEMU leaves behind; anything else found there (not a socket) is left alone. */
    private static void deleteSocket(Path socket) {
        if (socket == null) {
            return;
        }
        try {
            if (Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.deleteIfExists(socket);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // Already removed.
        } catch (IOException e) {
            LOG.warnf("cannot remove NBD socket %s: %s", socket, e.getMessage());
        }
    }
}
