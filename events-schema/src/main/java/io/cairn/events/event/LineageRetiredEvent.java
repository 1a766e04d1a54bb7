package io.cairn.events.event;

import java.time.Instant;
import java.util.List;

/**
 * A domain's lineage was set aside because the domain now has another UUID: a VM re-created under the same name is
 * another VM, so it starts a new, empty lineage and the old one is kept apart (never mixed with the new), listed as
 * retired. Its checkpoints' names are free again for the new VM. No command causes it: Cairn sees the new UUID.
 *
 * @param uuid        the UUID the retired lineage was bound to (the old VM's)
 * @param newUuid     the domain's UUID now, to which its new lineage is bound
 * @param checkpoints the names of the retired lineage's checkpoints (empty when it had none)
 */
public record LineageRetiredEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        String uuid,
        String newUuid,
        List<String> checkpoints) implements CairnEvent {

    public static final String TYPE = "lineage-retired";

    public LineageRetiredEvent {
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
