package io.cairn.agent.guest;

import io.cairn.agent.config.AgentConfig;
import io.cairn.events.error.CairnException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One freeze of one guest: the conversation it is sent on, whether it may be in effect, and its single thaw, which
 * either the quiesce sequence or the max-freeze watchdog sends, whichever comes first. Synchronized, so the two
 * never talk over each other on the one socket.
 */
final class Freeze implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Freeze.class);

    private final String domain;
    private final AgentConfig.GuestAgent limits;
    private final GuestAgentSession session;
    private long freezeSentAt;
    private long thawedAt;
    private boolean mayBeFrozen;
    private boolean thawSent;
    private boolean expired;
    private Optional<CairnException> thawFailure = Optional.empty();

    /** Opens the conversation and syncs it: fails with libvirt's "not configured" / "not connected". */
    Freeze(String domain, GuestAgentConnector connector, AgentConfig.GuestAgent limits) {
        this.domain = domain;
        this.limits = limits;
        GuestAgentSession opened = connector.open(domain);
        try {
            opened.sync(limits.syncTimeout());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        this.session = opened;
    }

    /** guest-fsfreeze-freeze, answered within max-freeze; when no answer comes, the guest may be frozen: thaws. */
    synchronized int freeze() {
        freezeSentAt = System.nanoTime();
        mayBeFrozen = true;
        try {
            return session.freeze(limits.maxFreeze());
        } catch (GuestAgentRefusal e) {
            // qemu-ga thaws what it froze before it answers with an error, and a guest frozen by someone else
            // ("frozen state") is theirs to thaw.
            mayBeFrozen = false;
            throw e;
        } catch (CairnException e) {
            // No answer, or one that is none: the guest may be frozen now or soon.
            thawOnce();
            throw e;
        }
    }

    /** Nanoseconds left of max-freeze since the freeze was sent. */
    synchronized long remainingNanos() {
        return freezeSentAt + limits.maxFreeze().toNanos() - System.nanoTime();
    }

    /** The watchdog: max-freeze is over; thaw now unless that happened already. */
    synchronized void expire() {
        if (!thawSent && mayBeFrozen) {
            expired = true;
            LOG.warnf("%s: maximum freeze of %d ms expired; thawing the guest", domain, limits.maxFreeze().toMillis());
            thawOnce();
        }
    }

    /** Whether the watchdog thawed before the sequence did. */
    synchronized boolean expired() {
        return expired;
    }

    /** Thaws (once); the thaw's failure, if it failed. */
    synchronized Optional<CairnException> thaw() {
        thawOnce();
        return thawFailure;
    }

    /** From sending the freeze to the thaw's answer. */
    synchronized Duration frozenFor() {
        return Duration.ofNanos(Math.max(0, thawedAt - freezeSentAt));
    }

    private void thawOnce() {
        if (thawSent || !mayBeFrozen) {
            return;
        }
        thawSent = true;
        try {
            int thawed = session.thaw(limits.thawTimeout());
            thawedAt = System.nanoTime();
            LOG.debugf("%s: %d file system(s) thawed", domain, thawed);
        } catch (CairnException e) {
            thawedAt = System.nanoTime();
            thawFailure = Optional.of(e);
            LOG.errorf("%s: thawing the guest's file systems failed: %s", domain, e.getMessage());
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
