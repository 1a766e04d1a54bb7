package io.cairn.agent.backup;

import io.cairn.agent.backup.BackupNames.ParsedJob;
import io.cairn.agent.backup.BackupNames.ParsedNode;
import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.domain.DomainRegistry;
import io.cairn.agent.inventory.DiskInventory;
import io.cairn.agent.inventory.VmInventory;
import io.cairn.agent.operation.AgentOperations;
import io.cairn.agent.qmp.BlockNode;
import io.cairn.agent.qmp.DirtyBitmap;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.QmpJob;
import io.cairn.agent.qmp.TransactionAction;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.model.BackupMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Brings QEMU back in line with what the agent knows, at start and periodically: backup jobs a previous
 * agent process started are adopted (followed again, or their end reported, since auto-dismiss=false keeps
 * them in query-jobs), and traces of jobs nobody runs any more (agent nodes, NBD exports, created scratch
 * files, temporary bitmaps) are removed. Inconsistent checkpoint bitmaps are left alone: the inventory
 * reports them, and deciding about checkpoints is the checkpoint-service's business.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final DomainRegistry registry;
    private final AgentOperations operations;
    private final BackupJobs jobs;

    @Inject
    public Reconciler(DomainRegistry registry, AgentOperations operations, BackupJobs jobs) {
        this.registry = registry;
        this.operations = operations;
        this.jobs = jobs;
    }

    void onStart(@Observes StartupEvent event) {
        reconcileAll().subscribe().with(done -> LOG.infof("startup reconcile: %s", done),
                failure -> LOG.warn("startup reconcile failed", failure));
    }

    @Scheduled(every = "${cairn.agent.reconcile-interval:60s}", delayed = "${cairn.agent.reconcile-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> periodically() {
        return reconcileAll().replaceWithVoid();
    }

    /** Reconciles every domain of the host; yields what was done, for logs and tests. */
    public Uni<List<String>> reconcileAll() {
        return registry.listDomains().flatMap(names -> Multi.createFrom().iterable(names)
                .onItem().transformToUniAndConcatenate(domain -> reconcile(domain)
                        .onFailure().recoverWithItem(failure -> List.of(domain + ": skipped (" + failure.getMessage() + ")")))
                .collect().in(ArrayList<String>::new, List::addAll)
                .call(done -> sweepKeys(entry -> entry.domain() == null || !names.contains(entry.domain()), done))
                .map(List::copyOf));
    }

    public Uni<List<String>> reconcile(String domain) {
        return operations.onDomain(domain, () -> registry.connection(domain).flatMap(this::reconcile));
    }

    private Uni<List<String>> reconcile(DomainConnection connection) {
        Uni<List<CreatedStores.Entry>> unsettled = Uni.createFrom().item(() -> unsettledOf(connection.domain()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return Uni.combine().all().unis(connection.commands().queryJobs(), connection.commands().queryNamedBlockNodes(),
                        connection.inventory(), connection.client().execute("query-block-exports"), unsettled)
                .asTuple()
                .flatMap(state -> {
                    List<String> done = new ArrayList<>();
                    adoptUnknownJobs(connection, state.getItem1(), state.getItem2(), state.getItem3(), state.getItem5(),
                            done);
                    return removeLeftovers(connection, state.getItem2(), state.getItem3(), exportIds(state.getItem4()),
                            state.getItem5(), done)
                            .chain(() -> removeLeftoverTlsObjects(connection, done))
                            // After adoption: an adopted job's key must stay, QEMU reads it at every handshake.
                            .chain(() -> sweepKeys(entry -> connection.domain().equals(entry.domain()), done))
                            .replaceWith(done);
                });
    }

    /**
     * A TLS object of a job nobody runs (an agent killed between object-add and the job's start, or before its end):
     * without its job its NBD server serves nothing anyone follows, so both go.
     */
    private Uni<Void> removeLeftoverTlsObjects(DomainConnection connection, List<String> done) {
        return connection.client().execute("qom-list", QmpClient.arguments().put("path", "/objects")).flatMap(reply -> {
            Set<String> liveTls = new HashSet<>();
            jobs.knownJobIds().forEach(id -> liveTls.add(BackupNames.tlsObjectId(id)));
            boolean domainHasJob = jobs.knowsDomain(connection.domain());
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (com.fasterxml.jackson.databind.JsonNode object : reply) {
                String id = object.path("name").asText();
                if (!id.startsWith(BackupNames.TLS_OBJECT_PREFIX) || liveTls.contains(id)) {
                    continue;
                }
                if (!domainHasJob) {
                    // One NBD server per QEMU: with no job of ours on this domain it can only be the dead job's.
                    chain = chain.chain(() -> quietly(connection.client().execute("nbd-server-stop").replaceWithVoid()));
                }
                chain = chain.chain(() -> quietly(connection.client().execute("object-del",
                        QmpClient.arguments().put("id", id)).replaceWithVoid()));
                done.add(connection.domain() + ": removed TLS object " + id);
            }
            return chain;
        }).onFailure().invoke(failure -> LOG.debugf("TLS object sweep failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Deletes the NBD keys of jobs this agent does not run, among those {@code which} selects. */
    private Uni<Void> sweepKeys(java.util.function.Predicate<NbdPskFiles.Entry> which, List<String> done) {
        return Uni.createFrom().item(() -> {
            for (NbdPskFiles.Entry entry : jobs.pskFiles().all()) {
                if (which.test(entry) && !jobs.knows(entry.jobId())) {
                    jobs.pskFiles().delete(entry.jobId());
                    done.add((entry.domain() == null ? "?" : entry.domain()) + ": deleted NBD key of job "
                            + entry.jobId() + ", which no longer runs");
                }
            }
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(failure -> LOG.warnf("NBD key sweep failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private void adoptUnknownJobs(DomainConnection connection, List<QmpJob> qemuJobs, List<BlockNode> nodes,
            VmInventory vm, List<CreatedStores.Entry> unsettled, List<String> done) {
        Map<String, List<QmpJob>> byJob = new LinkedHashMap<>();
        for (QmpJob job : qemuJobs) {
            Optional<ParsedJob> parsed = BackupNames.parseJob(job.id());
            if (parsed.isPresent() && "backup".equals(job.type()) && !jobs.knows(parsed.get().jobId())) {
                byJob.computeIfAbsent(parsed.get().jobId(), id -> new ArrayList<>()).add(job);
            }
        }
        byJob.forEach((jobId, group) -> {
            BackupJob job = rebuild(connection, jobId, group, nodes, vm, unsettled);
            if (jobs.adopt(job, adopted -> adopted.adopt(group))) {
                done.add(connection.domain() + ": adopted job " + jobId);
            }
        });
    }

    private BackupJob rebuild(DomainConnection connection, String jobId, List<QmpJob> group, List<BlockNode> nodes,
            VmInventory vm, List<CreatedStores.Entry> unsettled) {
        String hash = BackupNames.jobHash(jobId);
        List<DiskJob> disks = new ArrayList<>();
        BackupMode mode = BackupMode.PUSH;
        for (QmpJob qemuJob : group) {
            String disk = BackupNames.parseJob(qemuJob.id()).orElseThrow().disk();
            Optional<BlockNode> format = agentNode(nodes, hash, disk, true);
            Optional<BlockNode> file = agentNode(nodes, hash, disk, false);
            BackupNames.StoreKind kind = format.or(() -> file)
                    .flatMap(node -> BackupNames.parseNode(node.nodeName())).map(ParsedNode::kind)
                    // Without its nodes nothing can be deleted: treat the store as not ours.
                    .orElse(BackupNames.StoreKind.REUSED_TARGET);
            if (kind.scratch()) {
                mode = BackupMode.PULL;
            }
            String sourceNode = vm.disk(disk).map(DiskInventory::formatNodeName).orElse(null);
            String tempBitmap = null;
            String tempNode = null;
            if (!kind.scratch() && sourceNode != null
                    && vm.disk(disk).flatMap(d -> d.bitmap(BackupNames.tempBitmap(disk))).isPresent()) {
                tempBitmap = BackupNames.tempBitmap(disk);
                tempNode = sourceNode;
            }
            String formatName = format.map(BlockNode::nodeName).orElse(BackupNames.formatNode(jobId, disk, kind));
            disks.add(new DiskJob(disk, sourceNode, qemuJob.id(), formatName,
                    file.map(BlockNode::nodeName).orElse(BackupNames.fileNode(jobId, disk, kind)),
                    file.map(node -> Path.of(node.filename())).orElse(null), kind, tempNode, tempBitmap,
                    BackupNames.exportId(formatName), disk));
        }
        // The inodes the previous process created: only those files may go when the adopted job ends.
        List<StoreFiles.Created> created = unsettled.stream()
                .filter(entry -> entry.jobId().equals(jobId)).flatMap(entry -> entry.created().stream()).toList();
        for (DiskJob disk : disks) {
            created.stream().filter(file -> file.path().equals(disk.store())).findFirst().ifPresent(disk::created);
        }
        BackupJob job = new BackupJob(jobId, null, jobs.hostId(), mode, connection, disks, List.of(), jobs.sink(),
                jobs.stores(), jobs.storeFiles(), jobs.pskFiles(), jobs.progressInterval(), () -> jobs.release(jobId));
        if (mode == BackupMode.PULL) {
            // The previous process started QEMU's one NBD server for this job: the job's end must stop it, or the
            // domain's next pull fails with "NBD server already running" (the soak found it). Its TLS object, if it
            // had one, has the job's name; deleting one that is not there is harmless. Its key directory goes with the
            // job's end too; until then QEMU still reads it for every new client.
            job.nbdServerStarted(BackupNames.tlsObjectId(jobId));
        }
        return job;
    }

    private static Optional<BlockNode> agentNode(List<BlockNode> nodes, String hash, String disk, boolean format) {
        return nodes.stream().filter(node -> BackupNames.parseNode(node.nodeName())
                .filter(parsed -> parsed.jobHash().equals(hash) && parsed.disk().equals(disk) && parsed.formatNode() == format)
                .isPresent()).findFirst();
    }

    private Uni<Void> removeLeftovers(DomainConnection connection, List<BlockNode> nodes, VmInventory vm,
            List<String> exports, List<CreatedStores.Entry> unsettled, List<String> done) {
        Set<String> liveHashes = new HashSet<>();
        jobs.knownJobIds().forEach(id -> liveHashes.add(BackupNames.jobHash(id)));
        List<Uni<Void>> steps = new ArrayList<>();
        boolean removedExport = false;
        for (String export : exports) {
            Optional<ParsedNode> node = export.startsWith("nbd-") ? BackupNames.parseNode(export.substring(4)) : Optional.empty();
            if (node.isPresent() && !liveHashes.contains(node.get().jobHash())) {
                steps.add(quietly(connection.client().execute("block-export-del",
                        QmpClient.arguments().put("id", export).put("mode", "hard")).replaceWithVoid()));
                done.add(connection.domain() + ": removed export " + export);
                removedExport = true;
            }
        }
        if (removedExport) {
            steps.add(quietly(connection.client().execute("nbd-server-stop").replaceWithVoid()));
        }
        // Format nodes before their file nodes: the file node is in use while its format node exists.
        for (boolean formatPass : new boolean[] {true, false}) {
            for (BlockNode node : nodes) {
                Optional<ParsedNode> parsed = BackupNames.parseNode(node.nodeName());
                if (parsed.isEmpty() || liveHashes.contains(parsed.get().jobHash()) || parsed.get().formatNode() != formatPass) {
                    continue;
                }
                steps.add(quietly(connection.commands().blockdevDel(node.nodeName())));
                done.add(connection.domain() + ": removed node " + node.nodeName());
                // The file behind it is deleted below, from the job's record, if it still is the inode the job
                // created: a node's file name alone may by now name another file.
            }
        }
        for (CreatedStores.Entry entry : unsettled) {
            // Recorded before creation, never settled, and no job of that id runs or could be adopted: an agent
            // died between creating the files and its job's end (the files of a job QEMU still had were adopted
            // above, and are settled when that job ends).
            if (jobs.knows(entry.jobId())) {
                continue;
            }
            steps.add(Uni.createFrom().item(() -> {
                // Decided again at the moment of deleting: a job adopted meanwhile settles its own files.
                if (!jobs.knows(entry.jobId()) && jobs.stores().isUnsettled(entry.jobId())) {
                    for (StoreFiles.Created file : entry.created()) {
                        done.add(connection.domain() + ": " + jobs.storeFiles().deleteCreated(file)
                                + " (created for job " + entry.jobId() + ", which no longer runs)");
                    }
                    for (Path store : entry.stores()) {
                        if (entry.created().stream().noneMatch(file -> file.path().equals(store))) {
                            // Never created by the job, or it died before recording the inode: not provably ours.
                            done.add(connection.domain() + ": kept " + store + " (job " + entry.jobId()
                                    + " recorded no file it created there)");
                        }
                    }
                    jobs.stores().settled(entry.jobId());
                }
                return (Void) null;
            }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).onFailure().invoke(failure -> LOG.warnf(
                    "leftover files of job %s not deleted: %s", entry.jobId(), failure.getMessage()))
                    .onFailure().recoverWithNull());
        }
        boolean domainHasJob = jobs.active().stream().anyMatch(job -> job.domain().equals(connection.domain()));
        if (!domainHasJob) {
            for (DiskInventory disk : vm.disks()) {
                for (DirtyBitmap bitmap : disk.bitmaps()) {
                    String name = bitmap.name().orElse("");
                    if ((name.startsWith(BackupNames.JOB_PREFIX) || name.startsWith("libvirt-tmp-")) && !bitmap.busy()) {
                        steps.add(quietly(connection.commands().transaction(
                                List.of(TransactionAction.removeBitmap(disk.formatNodeName(), name)))));
                        done.add(connection.domain() + ": removed bitmap " + disk.deviceId() + "/" + name);
                    }
                }
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> step : steps) {
            chain = chain.chain(() -> step);
        }
        return chain;
    }

    private List<CreatedStores.Entry> unsettledOf(String domain) {
        try {
            return jobs.stores().unsettled().stream().filter(entry -> entry.domain().equals(domain)).toList();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the created-store records: %s", e.getMessage());
            return List.of();
        }
    }

    private static List<String> exportIds(com.fasterxml.jackson.databind.JsonNode reply) {
        List<String> ids = new ArrayList<>();
        reply.forEach(export -> ids.add(export.path("id").asText()));
        return ids;
    }

    private static Uni<Void> quietly(Uni<Void> step) {
        return step.onFailure().invoke(failure -> LOG.debugf("reconcile step failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull();
    }
}
