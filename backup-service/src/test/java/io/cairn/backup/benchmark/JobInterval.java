package io.cairn.backup.benchmark;

import java.time.Instant;

/** When one job held a slot of its host and of the fleet, as the job table records it. */
record JobInterval(String commandId, String hostId, String state, Instant requestedAt, Instant startedAt,
        Instant endedAt) {

    /** Nanoseconds from the request to the slot (queueing), or -1 if it never started. */
    long waitNanos() {
        return startedAt == null ? -1 : java.time.Duration.between(requestedAt, startedAt).toNanos();
    }

    /** Nanoseconds the job held its slot, or -1 if it never started or has not ended. */
    long holdNanos() {
        return startedAt == null || endedAt == null ? -1 : java.time.Duration.between(startedAt, endedAt).toNanos();
    }
}
