package io.cairn.events.agent;

/** One disk's backup job: state and QEMU's progress ({@code query-jobs} current/total progress). */
public record DiskJobReport(String disk, DiskJobState state, long processed, long total, String error) {
}
