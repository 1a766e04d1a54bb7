package io.cairn.backup.config;

import io.cairn.backup.service.job.FairUseLimits;
import io.cairn.backup.service.job.JobLifetimes;
import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * The operator's knobs for fair use and job lifetimes ({@code cairn.backup.*}); defaults live in
 * application.properties.
 */
@ConfigMapping(prefix = "cairn.backup")
public interface BackupLimitsConfig {

    /** Backups running at once on one host. */
    int maxPerHost();

    /** Backups running at once in the whole fleet. */
    int maxInFleet();

    /** How long a pull backup may stay open before it is aborted. */
    Duration pullTtl();

    /** How long a started job may go without a report from an agent that is alive before it is failed. */
    Duration agentSilence();

    /** How recent a host's last inventory must be for its agent to count as alive (agents publish every 30 s). */
    Duration agentAlive();

    /**
     * How long a started job waits for an agent that is not alive (killed, restarting, host down) before it is
     * failed; an agent back within it adopts the QEMU job and reports QEMU's verdict.
     */
    Duration hostLost();

    /** How often every active job's lifetime bounds are enforced (and waiting jobs re-admitted, as a safety net). */
    Duration sweepInterval();

    /** The least time between two backup-progress events of one job (and two restore-progress of one restore). */
    Duration progressInterval();

    /**
     * How long a restore may go unheard before it is failed: its agent reports every few seconds while it works, so
     * silence this long means the agent died or lost it (a restarted agent deletes the half-written image).
     */
    Duration restoreSilence();

    /** How often backup-service verifies, on its own, each domain's artifacts no verify has read for this long. */
    Duration verifyInterval();

    /**
     * How long a retention run may go unheard before it is failed: its agent reports after every step and every
     * 30 s while the run waits in its queue or works on a long step, so silence this long means the agent is gone.
     */
    Duration retentionSilence();

    /**
     * How long a retention run asked for after a backup waits for its domain's backups, restores and verifies to
     * end before it gives up (failed; the next backup asks again).
     */
    Duration retentionWait();

    /** How often pending retention runs are started (when their domain is free) and silent ones failed. */
    Duration retentionTick();

    default FairUseLimits fairUse() {
        return new FairUseLimits(maxPerHost(), maxInFleet());
    }

    default JobLifetimes lifetimes() {
        return new JobLifetimes(pullTtl(), agentSilence(), agentAlive(), hostLost());
    }
}
