package io.cairn.events.event;

import io.cairn.events.error.ErrorInfo;
import io.cairn.events.model.RestoreMode;
import java.time.Instant;
import java.util.List;

/**
 * The one outcome of a restore.begin whose restore started: the verdict, and per disk the image written. A failed
 * restore leaves no image behind and names what failed (a damaged or missing artifact by its path).
 *
 * @param restoreId  the restore's id
 * @param checkpoint the checkpoint whose state was restored
 * @param hostId     the host whose agent restored it (where the artifacts and the images are)
 * @param mode       copy or thin
 * @param success    true when every disk was written and checked
 * @param error      why not, with libvirt's code; absent on success
 * @param disks      the images written; empty on failure
 */
public record RestoreCompletedEvent(String eventId, Instant time, String domain, String commandId, String restoreId,
        String checkpoint, String hostId, RestoreMode mode, boolean success, ErrorInfo error,
        List<RestoredDisk> disks) implements CairnEvent {

    public static final String TYPE = "restore-completed";

    public RestoreCompletedEvent {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
