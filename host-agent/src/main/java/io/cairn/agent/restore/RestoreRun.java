package io.cairn.agent.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.agent.backup.CreatedStores;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.agent.storage.StorePath;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.agent.RestoreJobReport;
import io.cairn.events.agent.RestoreJobState;
import io.cairn.events.agent.RestoreLink;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.ArtifactVerdict;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.RestoreMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One restore (or verify, which only checks the artifacts) on this host, run start to end on a worker thread: check
 * every artifact against the catalog's checksum, write each disk's image (a copy from the explicitly stacked chain, or a thin overlay on it), check the
 * image against the chain, digest it, and report. The checksums run beside the writing, the digest beside the check
 * (threads of their own: qemu-img uses one core, SHA-256 another); it reports only once all of them passed. An image is recorded before it is created, so a failure (or an
 * agent killed half-way, through the reconciler) deletes it: a failed restore leaves nothing behind.
 */
final class RestoreRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(RestoreRun.class);

    /**
     * One disk's plan with its checked paths. For a register, {@code target} is the pull output to digest and
     * {@code virtualSize} that file's size (what is read).
     */
    record DiskWork(DiskRestorePlan plan, StorePath target, long virtualSize) {
    }

    private final String hostId;
    private final String domain;
    private final String restoreId;
    private final RestoreMode mode;
    private final List<DiskWork> disks;
    private final StoragePolicy policy;
    private final StoreFiles storeFiles;
    private final CreatedStores createdStores;
    private final RestoreReportSink sink;
    private final Duration reportInterval;
    private final Runnable release;
    /** {@code qemu-img convert -r} in bytes/s; 0: unlimited. */
    private final long rateLimit;
    /** Set by restore.end: every step checks it, and the qemu-img running is killed. */
    private volatile boolean aborted;
    private volatile QemuImgRun current;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final long total;
    private volatile Instant lastReport = Instant.EPOCH;

    @SuppressWarnings("checkstyle:ParameterNumber")
    RestoreRun(String hostId, String domain, String restoreId, RestoreMode mode, List<DiskWork> disks,
            StoragePolicy policy, StoreFiles storeFiles, CreatedStores createdStores, RestoreReportSink sink,
            Duration reportInterval, long rateLimit, Runnable release) {
        this.policy = policy;
        this.hostId = hostId;
        this.domain = domain;
        this.restoreId = restoreId;
        this.mode = mode;
        this.disks = List.copyOf(disks);
        this.storeFiles = storeFiles;
        this.createdStores = createdStores;
        this.sink = sink;
        this.reportInterval = reportInterval;
        this.release = release;
        this.rateLimit = rateLimit;
        this.total = disks.stream().mapToLong(this::workOf).sum();
    }

    /** Bytes read to check the links, plus for a copy the disk written and compared (its virtual size, twice). */
    private long workOf(DiskWork disk) {
        if (mode == RestoreMode.REGISTER) {
            return disk.virtualSize();
        }
        long links = disk.plan().chain().stream().mapToLong(RestoreLink::size).sum();
        return links + (mode == RestoreMode.COPY ? 2 * disk.virtualSize() : 0);
    }

    /**
     * Aborts it (restore.end): the qemu-img it runs is killed at once and the next step it reaches fails with
     * VIR_ERR_OPERATION_ABORTED, so the run deletes what it created and reports FAILED. Returns at once.
     */
    void abort() {
        aborted = true;
        QemuImgRun running = current;
        if (running != null) {
            running.kill();
        }
    }

    /** Throws the abort's error once restore.end asked for it; called between steps and while reading. */
    private void stopIfAborted() {
        if (aborted) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_ABORTED, "operation aborted: restore "
                    + restoreId + " was aborted by restore.end");
        }
    }

    @Override
    public void run() {
        if (mode == RestoreMode.VERIFY) {
            verifyAll();
            return;
        }
        if (mode == RestoreMode.REGISTER) {
            registerAll();
            return;
        }
        List<StoreFiles.Created> created = new ArrayList<>();
        try {
            report(RestoreJobState.RUNNING, List.of(), null);
            // The checksums are read while the images are written (on another core): nothing is reported restored
            // before both end, and a damaged artifact fails the restore, which deletes what it wrote.
            Background<Void> verification = Background.start("cairn-restore-verify", this::checkAllLinks);
            List<RestoredDisk> restored = new ArrayList<>();
            try {
                for (DiskWork disk : disks) {
                    restored.add(restore(disk, created));
                }
            } catch (RuntimeException | Error failure) {
                // The abort explains a killed qemu-img; a damaged artifact explains a failed convert better than
                // qemu-img does.
                Throwable checked = verification.failure();
                stopIfAborted();
                if (checked instanceof CairnException damaged) {
                    throw damaged;
                }
                throw failure;
            }
            verification.join();
            stopIfAborted();
            createdStores.settled(restoreId); // the images are the user's now
            report(RestoreJobState.COMPLETED, restored, null);
            LOG.infof("restore %s of %s: %d disk(s) restored", restoreId, domain, restored.size());
        } catch (RuntimeException | Error failure) {
            CairnException cairn = failure instanceof CairnException known ? known
                    : aborted ? new CairnException(VirErrorCode.VIR_ERR_OPERATION_ABORTED, "operation aborted: "
                            + "restore " + restoreId + " was aborted by restore.end")
                    : new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "internal error: restore " + restoreId
                            + " failed: " + failure.getMessage());
            for (StoreFiles.Created file : created) {
                LOG.infof("restore %s failed: %s", restoreId, storeFiles.deleteCreated(file));
            }
            createdStores.settled(restoreId);
            LOG.warnf("restore %s of %s failed: %s", restoreId, domain, cairn.getMessage());
            report(RestoreJobState.FAILED, List.of(), cairn.toErrorInfo());
        } finally {
            release.run();
        }
    }

    /**
     * A verify: every artifact read and compared with its checksum, each found intact or with its problem (missing,
     * outside the domain's directory, unreadable, damaged); the verify itself completes unless it cannot run at all.
     */
    private void verifyAll() {
        try {
            report(RestoreJobState.RUNNING, List.of(), null);
            List<ArtifactVerdict> verdicts = new ArrayList<>();
            for (DiskWork disk : disks) {
                for (RestoreLink link : disk.plan().chain()) {
                    verdicts.add(verdictOf(disk.plan().disk(), link));
                }
            }
            long damaged = verdicts.stream().filter(verdict -> !verdict.intact()).count();
            LOG.infof("verify %s of %s: %d artifact(s), %d not intact", restoreId, domain, verdicts.size(), damaged);
            report(RestoreJobState.COMPLETED, List.of(), null, verdicts);
        } catch (RuntimeException | Error failure) {
            CairnException cairn = aborted && failure instanceof CairnException known ? known
                    : new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "internal error: verify " + restoreId
                            + " failed: " + failure.getMessage());
            report(RestoreJobState.FAILED, List.of(), cairn.toErrorInfo());
        } finally {
            release.run();
        }
    }

    /**
     * A register: each pull output (checked when the run was accepted) read once for its size and SHA-256, with
     * progress, so the catalog can check it before any restore trusts it. Writes nothing; the first unreadable
     * output fails it.
     */
    private void registerAll() {
        try {
            report(RestoreJobState.RUNNING, List.of(), null);
            List<RestoredDisk> outputs = new ArrayList<>();
            for (DiskWork disk : disks) {
                DiskRestorePlan plan = disk.plan();
                // Re-confined right before reading: the path may have been swapped for a link since the check.
                Path file = policy.checkArtifact(plan.target(), domain, plan.disk()).path();
                ArtifactCheck.Digest digest;
                try {
                    digest = ArtifactCheck.digest(file, this::advance);
                } catch (IOException e) {
                    throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: output '"
                            + file + "' of disk '" + plan.disk() + "' cannot be read: " + e.getMessage());
                }
                outputs.add(new RestoredDisk(plan.disk(), file.toString(), plan.format(), digest.size(),
                        digest.sha256(), List.of()));
            }
            LOG.infof("register %s of %s: %d output(s) digested", restoreId, domain, outputs.size());
            report(RestoreJobState.COMPLETED, outputs, null);
        } catch (RuntimeException | Error failure) {
            CairnException cairn = failure instanceof CairnException known ? known
                    : new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "internal error: register "
                            + restoreId + " failed: " + failure.getMessage());
            report(RestoreJobState.FAILED, List.of(), cairn.toErrorInfo());
        } finally {
            release.run();
        }
    }

    private ArtifactVerdict verdictOf(String disk, RestoreLink link) {
        long before = done.get();
        try {
            policy.checkArtifact(link.path(), domain, disk);
            ArtifactCheck.verify(link, disk, this::advance);
            return new ArtifactVerdict(disk, null, link.path(), true, null);
        } catch (CairnException problem) {
            stopIfAborted(); // an abort is no verdict on the artifact
            return new ArtifactVerdict(disk, null, link.path(), false, problem.getMessage());
        } finally {
            done.set(before + link.size()); // a short or unreadable file still counts as checked
        }
    }

    /** Checks every link of every disk against its checksum; the first that fails throws. */
    private Void checkAllLinks() {
        for (DiskWork disk : disks) {
            for (RestoreLink link : disk.plan().chain()) {
                ArtifactCheck.verify(link, disk.plan().disk(), this::advance);
            }
        }
        return null;
    }

    private RestoredDisk restore(DiskWork disk, List<StoreFiles.Created> created) {
        DiskRestorePlan plan = disk.plan();
        Path target = disk.target().path();
        String spec = ChainSpec.of(plan.chain());
        String top = ChainSpec.formatOf(plan.chain().get(plan.chain().size() - 1));
        createdStores.beforeCreating(restoreId, domain, target);
        StoreFiles.Created file = storeFiles.create(disk.target(), staging -> format(staging, plan, disk, spec, top));
        created.add(file);
        createdStores.created(restoreId, domain, file);
        if (mode == RestoreMode.COPY) {
            if ("raw".equals(plan.format())) {
                // Sparse: the image is as large as the disk, and convert skips what is zero.
                run(List.of("qemu-img", "resize", "-q", "-f", "raw", target.toString(),
                        Long.toString(disk.virtualSize())), null);
            }
            run(convert(plan.format(), spec, target), disk.virtualSize());
            // The digest reads the target while compare does (the page cache serves both): one pass's time.
            Background<ArtifactCheck.Digest> digest = Background.start("cairn-restore-digest", () -> digest(target));
            int same;
            try {
                same = run(List.of("qemu-img", "compare", "-p", "-f", plan.format(), target.toString(), spec),
                        disk.virtualSize());
            } finally {
                digest.failure(); // never leave it reading a file the failure path deletes
            }
            if (same != 0) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: the image "
                        + "written for disk '" + plan.disk() + "' at '" + target + "' differs from its chain");
            }
            requireStillSame(file, target);
            return restored(plan, target, digest.join());
        }
        requireThinOverlayOpens(target, disk.virtualSize());
        requireStillSame(file, target);
        return restored(plan, target, digest(target));
    }

    private List<String> convert(String format, String spec, Path target) {
        List<String> command = new ArrayList<>(List.of("qemu-img", "convert", "-p", "-n", "-O", format));
        if (rateLimit > 0) {
            command.addAll(List.of("-r", Long.toString(rateLimit)));
        }
        command.addAll(List.of(spec, target.toString()));
        return command;
    }

    private void requireStillSame(StoreFiles.Created file, Path target) {
        if (!storeFiles.stillSame(file)) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: '" + target
                    + "' was replaced while it was being restored");
        }
    }

    private ArtifactCheck.Digest digest(Path target) {
        try {
            return ArtifactCheck.digest(target, read -> stopIfAborted());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back " + target, e);
        }
    }

    private static RestoredDisk restored(DiskRestorePlan plan, Path target, ArtifactCheck.Digest digest) {
        return new RestoredDisk(plan.disk(), target.toString(), plan.format(), digest.size(), digest.sha256(),
                plan.chain().stream().map(RestoreLink::path).toList());
    }

    /** Writes the new image's header into the staging file StoreFiles copies into the exclusively created target. */
    private void format(Path staging, DiskRestorePlan plan, DiskWork disk, String spec, String top) {
        try {
            if (mode == RestoreMode.THIN) {
                run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", top, "-b",
                        ChainSpec.asBackingReference(plan.chain()), staging.toString()), null);
            } else if ("qcow2".equals(plan.format())) {
                run(List.of("qemu-img", "create", "-q", "-f", "qcow2", staging.toString(),
                        Long.toString(disk.virtualSize())), null);
            } else {
                Files.createFile(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A thin overlay is its chain: it must open through its backing reference (qemu-img map opens every link, reading
     * only their metadata) and map the whole disk.
     */
    private void requireThinOverlayOpens(Path target, long virtualSize) {
        JsonNode map = ImageInfo.run(List.of("qemu-img", "map", "--output=json", "-f", "qcow2", target.toString()),
                target.toString());
        long mapped = 0;
        for (JsonNode extent : map) {
            mapped += extent.path("length").asLong();
        }
        if (mapped != virtualSize) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: thin image '"
                    + target + "' maps " + mapped + " bytes, its chain holds " + virtualSize);
        }
    }

    /** Runs qemu-img; with a size, its progress counts towards the restore's as that many bytes. */
    private int run(List<String> command, Long bytes) {
        stopIfAborted();
        // Added as deltas: the checksums count into the same total from another thread meanwhile.
        long[] counted = {0};
        QemuImgRun step = new QemuImgRun(command);
        current = step;
        if (aborted) {
            step.kill(); // abort() may have read the previous step as current
        }
        int status = step.run(percent -> {
            if (bytes != null) {
                long now = (long) (bytes * percent / 100.0);
                done.addAndGet(now - counted[0]);
                counted[0] = now;
                maybeReport();
            }
        });
        current = null;
        stopIfAborted();
        if (bytes != null) {
            done.addAndGet(bytes - counted[0]);
        }
        return status;
    }

    private void advance(long bytes) {
        stopIfAborted();
        done.addAndGet(bytes);
        maybeReport();
    }

    private void maybeReport() {
        if (Instant.now().isAfter(lastReport.plus(reportInterval))) {
            report(RestoreJobState.RUNNING, List.of(), null);
        }
    }

    private void report(RestoreJobState state, List<RestoredDisk> restored, ErrorInfo error) {
        report(state, restored, error, List.of());
    }

    /** Synchronized: two threads report progress, and the sequence must reach the sink in order. */
    private synchronized void report(RestoreJobState state, List<RestoredDisk> restored, ErrorInfo error,
            List<ArtifactVerdict> verdicts) {
        lastReport = Instant.now();
        long reportedDone = state == RestoreJobState.COMPLETED ? total : Math.min(done.get(), total);
        sink.publish(new RestoreJobReport(restoreId, hostId, domain, sequence.getAndIncrement(), state, total,
                reportedDone, restored, error, Instant.now(), verdicts));
    }

    /** qemu-img info of an image, as JSON. */
    static final class ImageInfo {
        private ImageInfo() {
        }

        static JsonNode of(String image, String format) {
            return run(List.of("qemu-img", "info", "--output=json", "-f", format, image), image);
        }

        /** Runs a qemu-img command that answers JSON; a failure names the image it could not open. */
        static JsonNode run(List<String> command, String image) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getOutputStream().close();
                byte[] out = process.getInputStream().readAllBytes();
                int status = process.waitFor();
                if (status != 0) {
                    throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: cannot "
                            + "open '" + image + "': " + new String(out, java.nio.charset.StandardCharsets.UTF_8)
                            .strip());
                }
                return CairnJson.mapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
