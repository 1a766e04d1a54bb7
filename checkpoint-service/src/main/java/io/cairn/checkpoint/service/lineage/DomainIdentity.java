package io.cairn.checkpoint.service.lineage;

import java.util.Locale;

/**
 * Whether a domain's lineage belongs to the VM now running under its name: a lineage is bound to the UUID of the VM
 * it was made on, and a VM re-created under the same name with another UUID starts a new lineage.
 */
public enum DomainIdentity {
    /** Same VM, or nothing to compare (the VM reports no UUID). */
    SAME,
    /** The lineage is bound to no UUID yet (made before Cairn knew UUIDs, or on a VM without one): bind it. */
    BIND,
    /** Another VM: set the lineage aside (retired) and start an empty one bound to the new UUID. */
    RETIRE;

    public static DomainIdentity of(String boundUuid, String seenUuid) {
        if (seenUuid == null) {
            return SAME;
        }
        if (boundUuid == null) {
            return BIND;
        }
        return boundUuid.toLowerCase(Locale.ROOT).equals(seenUuid.toLowerCase(Locale.ROOT)) ? SAME : RETIRE;
    }
}
