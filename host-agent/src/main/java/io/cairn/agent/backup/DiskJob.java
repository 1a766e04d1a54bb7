package io.cairn.agent.backup;

import io.cairn.agent.backup.BackupNames.StoreKind;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.WrittenTarget;
import java.nio.file.Path;

/**
 * One disk of a backup job: what the agent put into QEMU for it (job id, store nodes, temporary bitmap,
 * NBD export) so teardown can remove exactly that, and the disk's phase and progress.
 */
public final class DiskJob {

    private final String disk;
    private final String sourceNode;
    private final String qemuJobId;
    private final String formatNode;
    private final String fileNode;
    private final Path store;
    private final StoreKind storeKind;
    private final String tempBitmapNode;
    private final String tempBitmap;
    private final String exportId;
    private final String exportName;
    private DiskPhase phase = DiskPhase.PREPARING;
    private long processed;
    private long total;
    private String error;
    /** The file the agent created for this disk and its inode; null for a reused store or before creation. */
    private StoreFiles.Created created;
    private WrittenTarget written;
    /** Push incremental: the confined artifact holding the disk at the base checkpoint; null when unknown. */
    private Path chainBase;
    /** The backing file the completed target's header was rewritten to name; null if not rewritten. */
    private Path rebasedOnto;

    public DiskJob(String disk, String sourceNode, String qemuJobId, String formatNode, String fileNode, Path store,
            StoreKind storeKind, String tempBitmapNode, String tempBitmap, String exportId, String exportName) {
        this.disk = disk;
        this.sourceNode = sourceNode;
        this.qemuJobId = qemuJobId;
        this.formatNode = formatNode;
        this.fileNode = fileNode;
        this.store = store;
        this.storeKind = storeKind;
        this.tempBitmapNode = tempBitmapNode;
        this.tempBitmap = tempBitmap;
        this.exportId = exportId;
        this.exportName = exportName;
    }

    public String disk() {
        return disk;
    }

    public String sourceNode() {
        return sourceNode;
    }

    public String qemuJobId() {
        return qemuJobId;
    }

    public String formatNode() {
        return formatNode;
    }

    public String fileNode() {
        return fileNode;
    }

    public Path store() {
        return store;
    }

    public StoreKind storeKind() {
        return storeKind;
    }

    /** Node of the temporary bitmap: the disk for push, the scratch node for pull (libvirt); null if none. */
    public String tempBitmapNode() {
        return tempBitmapNode;
    }

    public String tempBitmap() {
        return tempBitmap;
    }

    public String exportId() {
        return exportId;
    }

    public String exportName() {
        return exportName;
    }

    public synchronized StoreFiles.Created created() {
        return created;
    }

    public synchronized void created(StoreFiles.Created file) {
        this.created = file;
    }

    public synchronized DiskPhase phase() {
        return phase;
    }

    public synchronized void moveTo(DiskPhase target) {
        phase = phase.moveTo(target);
    }

    /** Moves only if allowed; for events that may legitimately arrive after the disk ended. */
    public synchronized boolean tryMoveTo(DiskPhase target) {
        if (!phase.canMoveTo(target)) {
            return false;
        }
        phase = target;
        return true;
    }

    public synchronized void progress(long processed, long total) {
        this.processed = processed;
        this.total = total;
    }

    public synchronized long processed() {
        return processed;
    }

    public synchronized long total() {
        return total;
    }

    public synchronized void error(String error) {
        if (this.error == null) {
            this.error = error;
        }
    }

    public synchronized String error() {
        return error;
    }

    /** A completed push target as read back: its size and checksum, for the catalog. */
    public synchronized void written(WrittenTarget target) {
        this.written = target;
    }

    public synchronized WrittenTarget written() {
        return written;
    }

    /**
     * An incremental push target the agent created, so naming the live disk as backing (it carries the temporary
     * bitmap merged from its base checkpoint). A reused target's header is the caller's (REUSE_EXTERNAL).
     */
    public boolean createdIncrementalTarget() {
        return storeKind == StoreKind.CREATED_TARGET && tempBitmap != null;
    }

    public synchronized void chainBase(Path base) {
        this.chainBase = base;
    }

    public synchronized Path chainBase() {
        return chainBase;
    }

    public synchronized void rebasedOnto(Path backing) {
        this.rebasedOnto = backing;
    }

    public synchronized Path rebasedOnto() {
        return rebasedOnto;
    }

    public synchronized DiskJobReport report() {
        return new DiskJobReport(disk, phase.toReport(), processed, total, error, written);
    }
}
