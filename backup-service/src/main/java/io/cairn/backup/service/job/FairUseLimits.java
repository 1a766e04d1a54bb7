package io.cairn.backup.service.job;

/**
 * How many backups may run at once on one host and in the whole fleet: backups compete for host disk and network
 * bandwidth, and a few per host finish sooner than many at once.
 */
public record FairUseLimits(int perHost, int fleet) {
    public FairUseLimits {
        if (perHost < 1 || fleet < 1) {
            throw new IllegalArgumentException("limits must be at least 1, were perHost=" + perHost + " fleet=" + fleet);
        }
    }
}
