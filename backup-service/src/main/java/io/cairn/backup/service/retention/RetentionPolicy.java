package io.cairn.backup.service.retention;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/**
 * A domain's retention policy: which restore points survive pruning and when the next backup must be a full one,
 * checked once here so the planner never has to second-guess its input.
 *
 * <p>The keep rules follow Proxmox's {@code keep-last}/{@code keep-daily}/{@code keep-weekly}: applied in that order,
 * each one only to the points the rules before it did not keep, and a day (or week) that already holds a kept point
 * does not count again. As in Proxmox, days and weeks without a restore point do not count either: {@code keepDaily
 * = 7} keeps the newest point of each of the 7 most recent days that have one (UTC calendar days; ISO weeks).
 *
 * @param keepLast      how many of the newest complete restore points to keep
 * @param keepDaily     how many days to keep the newest point of
 * @param keepWeekly    how many ISO weeks to keep the newest point of
 * @param fullEvery     force a full once a disk's chain holds this many incrementals; 0: never for this reason
 * @param maxChainBytes force a full once a disk's chain's artifacts exceed this many bytes; 0: never
 */
public record RetentionPolicy(int keepLast, int keepDaily, int keepWeekly, int fullEvery, long maxChainBytes) {

    public RetentionPolicy {
        requireNotNegative("keepLast", keepLast);
        requireNotNegative("keepDaily", keepDaily);
        requireNotNegative("keepWeekly", keepWeekly);
        requireNotNegative("fullEvery", fullEvery);
        requireNotNegative("maxChainBytes", maxChainBytes);
        if (keepLast == 0 && keepDaily == 0 && keepWeekly == 0) {
            // Such a policy would prune every backup: far likelier a mistake than a wish.
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                    "retention policy keeps no restore point: set keepLast, keepDaily or keepWeekly above 0");
        }
    }

    /** Only the newest {@code n} points, and no forced fulls. */
    public static RetentionPolicy keepLast(int n) {
        return new RetentionPolicy(n, 0, 0, 0, 0);
    }

    public RetentionPolicy withFullEvery(int incrementals) {
        return new RetentionPolicy(keepLast, keepDaily, keepWeekly, incrementals, maxChainBytes);
    }

    public RetentionPolicy withMaxChainBytes(long bytes) {
        return new RetentionPolicy(keepLast, keepDaily, keepWeekly, fullEvery, bytes);
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                    "retention policy: %s must be 0 or more, got %d".formatted(name, value));
        }
    }
}
