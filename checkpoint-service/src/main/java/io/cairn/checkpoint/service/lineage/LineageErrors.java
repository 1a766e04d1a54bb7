package io.cairn.checkpoint.service.lineage;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/** libvirt's exact error codes and messages for lineage operations, so Cairn's callers can match on them as on libvirt's. */
public final class LineageErrors {
    private LineageErrors() {
    }

    public static CairnException noCheckpoint(String name) {
        return new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT,
                "no domain checkpoint with matching name '" + name + "'");
    }

    public static CairnException noParent(String name) {
        return new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT,
                "checkpoint '" + name + "' does not have a parent");
    }

    public static CairnException alreadyExists(String name) {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "domain moment " + name + " already exists");
    }

    public static CairnException redefineWithoutName() {
        return new CairnException(VirErrorCode.VIR_ERR_XML_ERROR, "a redefined checkpoint must have a name");
    }

    public static CairnException redefineWithoutCreationTime() {
        return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "missing creationTime from existing checkpoint");
    }

    public static CairnException ownParent(String name) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "cannot set moment " + name + " as its own parent");
    }

    public static CairnException parentNotFound(String parent, String name) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "parent " + parent + " for moment " + name + " not found");
    }

    public static CairnException cycle(String ancestor, String name) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "parent " + ancestor + " would create cycle to " + name);
    }

    /** libvirt's VIR_EXCLUSIVE_FLAGS check, made by the public API before any driver sees the call. */
    public static CairnException exclusiveFlags(String first, String second) {
        return io.cairn.events.command.FlagRules.exclusive(first, second);
    }

    /** libvirt's virCheckFlags message; the function named is the public API, as Cairn has no driver layer. */
    public static CairnException unsupportedFlags(int unsupported, String function) {
        return new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "unsupported flags (0x" + Integer.toHexString(unsupported) + ") in function " + function);
    }

    /** Stored lineage that breaks the tree's invariants: a bug or a hand edit, never a user error. */
    public static CairnException inconsistent(String domain, String detail) {
        return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR,
                "checkpoints of domain " + domain + " are inconsistent: " + detail);
    }
}
