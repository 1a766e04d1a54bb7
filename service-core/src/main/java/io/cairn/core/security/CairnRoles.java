package io.cairn.core.security;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The three roles of Cairn's API and what each implies: an admin may do what an operator may, an operator what a
 * viewer may; so an identity provider grants one role, and every check names the least role it needs.
 */
public final class CairnRoles {
    /** Reads: lineage, checkpoints, jobs, hosts, command outcomes. */
    public static final String VIEWER = "viewer";
    /** Checkpoint and backup commands, abort (and restore, when it exists). */
    public static final String OPERATOR = "operator";
    /** What changes Cairn's own records rather than a VM: REDEFINE, METADATA_ONLY delete, host operations. */
    public static final String ADMIN = "admin";

    private CairnRoles() {
    }

    /** The granted roles with every role they imply added. */
    public static Set<String> withImplied(Set<String> granted) {
        Set<String> roles = new LinkedHashSet<>(granted);
        if (roles.contains(ADMIN)) {
            roles.add(OPERATOR);
        }
        if (roles.contains(OPERATOR)) {
            roles.add(VIEWER);
        }
        return roles;
    }
}
