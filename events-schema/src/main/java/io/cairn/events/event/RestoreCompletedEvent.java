package io.cairn.events.event;

import io.cairn.events.error.ErrorInfo;
import io.cairn.events.model.RestoreMode;
import java.time.Instant;
import java.util.List;

/**
 * The one outcome of a restore.begin whose restore started: the verdict, and per disk the image written (an export's
 * end, after its restore-exported answered the begin: the outcome of the restore.end that ended it, or on its own). A failed
 * restore leaves no image behind and names what failed (a damaged or missing artifact by its path).
 *
 * @param restoreId  the restore's id
 * @param checkpoint the checkpoint whose state was restored
 * @param hostId     the host whose agent restored it (where the artifacts and the images are)
 * @param mode       copy or thin
 * @param success    true when every disk was written and checked
 * @param error      why not, with libvirt's code; absent on success
 * @param disks      the images written; empty on failure (and for an export, which writes nothing)
 * @param beginCommandId an export ended by restore.end: the restore.begin that started it ({@code commandId} is then
 *                   the end's); absent otherwise
 */
public record RestoreCompletedEvent(String eventId, Instant time, String domain, String commandId, String restoreId,
        String checkpoint, String hostId, RestoreMode mode, boolean success, ErrorInfo error,
        List<RestoredDisk> disks, String beginCommandId) implements CairnEvent {

    public static final String TYPE = "restore-completed";

    public RestoreCompletedEvent {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /** The outcome of the restore.begin itself (no end command involved). */
    public RestoreCompletedEvent(String eventId, Instant time, String domain, String commandId, String restoreId,
            String checkpoint, String hostId, RestoreMode mode, boolean success, ErrorInfo error,
            List<RestoredDisk> disks) {
        this(eventId, time, domain, commandId, restoreId, checkpoint, hostId, mode, success, error, disks, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
