package io.cairn.backup.service.retention;

/** Why a restore point survives pruning, so an operator can tell which setting holds on to it. */
public enum RetentionRule {
    /** One of the {@code keepLast} newest complete points. */
    KEEP_LAST,
    /** The newest point of one of the {@code keepDaily} most recent days not already covered. */
    KEEP_DAILY,
    /** The newest point of one of the {@code keepWeekly} most recent ISO weeks not already covered. */
    KEEP_WEEKLY,
    /** Completed after the plan's {@code now} (recorded meanwhile, or a skewed clock): not the plan's to judge. */
    AFTER_NOW
}
