package io.cairn.backup.service.job;

/**
 * Where a waiting job stands, for its status.
 *
 * @param position       1-based place among every waiting job, in arrival order
 * @param aheadOnSameHost waiting jobs for the same host that arrived earlier and will start first
 * @param waitingFor     the limit that holds it back right now
 */
public record QueuePosition(int position, int aheadOnSameHost, Limit waitingFor) {

    /** The limit a waiting job is held back by. */
    public enum Limit {
        HOST,
        FLEET
    }
}
