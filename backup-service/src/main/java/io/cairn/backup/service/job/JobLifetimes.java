package io.cairn.backup.service.job;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on how long a job may live, because a pull backup never ends by itself and an agent can vanish: without
 * them a job would hold its domain and its slot forever.
 *
 * @param pullTimeToLive how long after its start a pull backup is aborted if its client has not ended it
 * @param agentSilence   how long a started job may go without any report while its agent is alive (it publishes its
 *                       host's inventory) before the job is failed: the agent has lost it
 * @param agentAlive     how recent the host's last inventory must be for its agent to count as alive
 * @param hostLost       how long a job waits for an agent that is not alive (killed, restarting, host down) before it
 *                       is failed: until then the agent can come back, adopt the QEMU job and report QEMU's verdict
 */
public record JobLifetimes(Duration pullTimeToLive, Duration agentSilence, Duration agentAlive, Duration hostLost) {
    public JobLifetimes {
        requirePositive(pullTimeToLive, "pullTimeToLive");
        requirePositive(agentSilence, "agentSilence");
        requirePositive(agentAlive, "agentAlive");
        requirePositive(hostLost, "hostLost");
    }

    /** Lifetimes where a silent agent fails its job after {@code agentSilence} whether or not it is alive. */
    public JobLifetimes(Duration pullTimeToLive, Duration agentSilence) {
        this(pullTimeToLive, agentSilence, agentSilence, agentSilence);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
