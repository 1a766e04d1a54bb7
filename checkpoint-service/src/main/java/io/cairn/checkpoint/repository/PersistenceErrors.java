package io.cairn.checkpoint.repository;

import io.cairn.checkpoint.service.lineage.LineageErrors;
import io.cairn.events.error.CairnException;
import java.util.Collection;

/**
 * Turns database failures that mean a libvirt error into that error, so a duplicate name caught by the database
 * (the last line of defence behind the tree's own check) reads exactly like libvirt's.
 */
public final class PersistenceErrors {
    static final String UNIQUE_NAME_CONSTRAINT = "checkpoint_domain_name_key";

    private PersistenceErrors() {
    }

    /**
     * @param insertedNames the names the failed transaction inserted. Hibernate Reactive hands on PostgreSQL's
     *                      message (with the constraint) but not its detail (with the key), so the duplicate is named
     *                      from what the transaction inserted.
     */
    public static Throwable mapped(Throwable failure, Collection<String> insertedNames) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains(UNIQUE_NAME_CONSTRAINT)) {
                CairnException error = LineageErrors.alreadyExists(String.join(", ", insertedNames));
                error.initCause(failure);
                return error;
            }
        }
        return failure;
    }
}
