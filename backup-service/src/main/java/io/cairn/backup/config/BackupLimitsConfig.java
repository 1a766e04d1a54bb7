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

    /** How long a started job may go without an agent report before it is failed. */
    Duration agentSilence();

    /** The least time between two backup-progress events of one job. */
    Duration progressInterval();

    default FairUseLimits fairUse() {
        return new FairUseLimits(maxPerHost(), maxInFleet());
    }

    default JobLifetimes lifetimes() {
        return new JobLifetimes(pullTtl(), agentSilence());
    }
}
