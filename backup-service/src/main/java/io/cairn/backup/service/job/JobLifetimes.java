package io.cairn.backup.service.job;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on how long a job may live, because a pull backup never ends by itself and an agent can vanish: without
 * them a job would hold its domain and its slot forever.
 *
 * @param pullTimeToLive how long after its start a pull backup is aborted if its client has not ended it
 * @param agentSilence   how long a started job may go without any agent report before it is failed
 */
public record JobLifetimes(Duration pullTimeToLive, Duration agentSilence) {
    public JobLifetimes {
        requirePositive(pullTimeToLive, "pullTimeToLive");
        requirePositive(agentSilence, "agentSilence");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
