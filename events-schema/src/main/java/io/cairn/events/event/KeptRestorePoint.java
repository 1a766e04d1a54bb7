package io.cairn.events.event;

/**
 * A restore point a retention run kept, and the rule that keeps it.
 *
 * @param checkpoint the checkpoint its backup created; null when it created none
 * @param jobId      the backup job that wrote it
 * @param rule       {@code keep-last}, {@code keep-daily}, {@code keep-weekly}, or {@code after-now} (completed while
 *                   the run was planned, not judged)
 */
public record KeptRestorePoint(String checkpoint, String jobId, String rule) {
}
