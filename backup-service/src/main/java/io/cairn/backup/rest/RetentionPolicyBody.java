package io.cairn.backup.rest;

import io.cairn.backup.service.retention.RetentionPolicy;

/**
 * A retention policy as REST reads and shows it (PUT .../retention). Absent numbers are 0: a rule that keeps nothing,
 * or no forced full for that reason; at least one keep rule must be above 0.
 */
public record RetentionPolicyBody(Integer keepLast, Integer keepDaily, Integer keepWeekly, Integer fullEvery,
        Long maxChainBytes) {

    RetentionPolicy toPolicy() {
        return new RetentionPolicy(orZero(keepLast), orZero(keepDaily), orZero(keepWeekly), orZero(fullEvery),
                maxChainBytes == null ? 0 : maxChainBytes);
    }

    static RetentionPolicyBody of(RetentionPolicy policy) {
        return new RetentionPolicyBody(policy.keepLast(), policy.keepDaily(), policy.keepWeekly(), policy.fullEvery(),
                policy.maxChainBytes());
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
