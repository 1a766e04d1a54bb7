package io.cairn.backup.service.job;

import io.cairn.events.agent.DiskJobReport;
import io.cairn.events.agent.DiskJobState;
import io.cairn.events.agent.WrittenTarget;
import java.util.Objects;

/**
 * One disk's share of a backup job as last reported: libvirt's per-disk state and QEMU's progress. Immutable, so a
 * job's history of disks can be compared and stored as plain values.
 *
 * @param processed push: bytes copied to the target; pull: bytes of scratch used
 * @param total     push: bytes to copy; pull: scratch capacity
 * @param written   push, once complete: the target's size and checksum as the agent read it back; else null
 */
public record DiskJob(String disk, DiskJobState state, long processed, long total, String error,
        WrittenTarget written) {

    public DiskJob {
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(state, "state");
    }

    /** A disk nothing was written for yet. */
    public DiskJob(String disk, DiskJobState state, long processed, long total, String error) {
        this(disk, state, processed, total, error, null);
    }

    public static DiskJob from(DiskJobReport report) {
        return new DiskJob(report.disk(), report.state(), report.processed(), report.total(), report.error(),
                report.written());
    }

    /** Still has a QEMU job: libvirt waits for these before it decides the job's outcome. */
    public boolean isActive() {
        return !state.isTerminal();
    }

    /**
     * The disk after a report, or this disk unchanged when the report would move it backwards: a disk that ended
     * stays ended (libvirt never revives a concluded block job), and a cancel in flight never becomes "running".
     */
    public DiskJob advance(DiskJobReport report) {
        if (!canMove(state, report.state())) {
            return this;
        }
        return from(report);
    }

    /** Whether libvirt's per-disk state machine allows {@code from → to} (staying put is allowed). */
    public static boolean canMove(DiskJobState from, DiskJobState to) {
        if (from == to) {
            return !from.isTerminal();
        }
        return switch (from) {
            case RUNNING -> true;
            // A job asked to cancel may still conclude on its own (complete or failed) before the cancel lands.
            case CANCELLING -> to != DiskJobState.RUNNING;
            case COMPLETE, FAILED, CANCELLED -> false;
        };
    }

    public DiskJob cancelling() {
        return new DiskJob(disk, DiskJobState.CANCELLING, processed, total, error, written);
    }
}
