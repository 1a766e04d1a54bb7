package io.cairn.checkpoint.service.lineage;

/** The two states a checkpoint's bitmaps can be in, as far as incremental backups are concerned. */
public enum HealthStatus {
    /** Every bitmap of the checkpoint was last seen present and consistent (or never checked yet). */
    ACTIVE,
    /** At least one bitmap is missing or inconsistent: the next backup from this checkpoint must be full. */
    BROKEN
}
