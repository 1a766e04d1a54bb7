package io.cairn.events.event;

import java.time.Instant;

/**
 * An export restore (instant restore) serves: each chosen disk's chain at the checkpoint, read-only over NBD with a
 * key of its own, until restore.end or {@code expiresAt}. The outcome of its restore.begin, as backup-started is a
 * pull backup's: the endpoint has the same shape, one export per disk.
 *
 * @param restoreId  the restore; restore.end names it, and its restore-completed ends it
 * @param checkpoint the checkpoint whose state is exported
 * @param hostId     the host whose agent serves it (where the artifacts are)
 * @param expiresAt  when it ends on its own (the command's ttl after it was accepted)
 * @param nbd        where to connect: the server, one export per disk and the key (left out for viewers)
 */
public record RestoreExportedEvent(String eventId, Instant time, String domain, String commandId, String restoreId,
        String checkpoint, String hostId, Instant expiresAt, NbdEndpoint nbd) implements CairnEvent {

    public static final String TYPE = "restore-exported";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CairnEvent withoutCredentials() {
        return nbd == null ? this : new RestoreExportedEvent(eventId, time, domain, commandId, restoreId, checkpoint,
                hostId, expiresAt, nbd.withoutKey());
    }
}
