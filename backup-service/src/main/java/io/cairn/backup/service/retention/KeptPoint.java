package io.cairn.backup.service.retention;

import io.cairn.backup.service.catalog.RestorePoint;

/** A restore point pruning keeps, with the rule that keeps it. */
public record KeptPoint(RestorePoint point, RetentionRule rule) {
}
