package io.cairn.events.agent;

/**
 * One disk's backup job: state and QEMU's progress ({@code query-jobs} current/total progress).
 *
 * @param written push only, on the terminal report of a completed job: the target as written (size and checksum);
 *                null otherwise, and from agents older than the backup catalog
 */
public record DiskJobReport(String disk, DiskJobState state, long processed, long total, String error,
        WrittenTarget written) {

    /** A report without a written target (a running or failed disk, a pull). */
    public DiskJobReport(String disk, DiskJobState state, long processed, long total, String error) {
        this(disk, state, processed, total, error, null);
    }
}
