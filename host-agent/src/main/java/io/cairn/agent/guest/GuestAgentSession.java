package io.cairn.agent.guest;

import java.time.Duration;

/**
 * One conversation with a domain's QEMU guest agent. Calls block (run them on a worker thread) and fail with
 * {@link GuestAgentErrors}' exceptions; a reply that does not come within its timeout is
 * {@link GuestAgentErrors#noAnswer}. Not thread-safe: the caller serializes calls.
 */
public interface GuestAgentSession extends AutoCloseable {

    /** guest-sync-delimited: discards whatever an earlier conversation left unread; no answer means nobody serves. */
    void sync(Duration timeout);

    /** guest-fsfreeze-freeze: the number of file systems the guest froze. */
    int freeze(Duration timeout);

    /** guest-fsfreeze-thaw: the number of file systems the guest thawed. */
    int thaw(Duration timeout);

    @Override
    void close();
}
