package io.cairn.checkpoint.repository;

import io.vertx.pgclient.PgException;
import jakarta.persistence.OptimisticLockException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;
import org.hibernate.StaleStateException;

/**
 * Tells a database that is briefly away (restarting, unreachable, out of connections) from a real failure, so a
 * command caught by the former is retried until the database is back instead of being dead-lettered unanswered.
 */
public final class TransientFailures {
    /** SQLSTATE classes and codes that say "try again later" (PostgreSQL appendix A). */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57P");
    private static final Set<String> TRANSIENT_CODES = Set.of("40001", "40P01");

    private TransientFailures() {
    }

    /**
     * Another writer changed a row this transaction read (a version check failed): e.g. the lineage health check of
     * another replica marking a checkpoint while this command deletes it. Running the command again reads the new
     * state, and its commandId check keeps a retry harmless.
     */
    public static boolean isConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                if (TRANSIENT_CODES.contains(state)
                        || TRANSIENT_CLASSES.stream().anyMatch(state::startsWith)) {
                    return true;
                }
            }
            // Connection refused or reset, a connection closed under a query: the server went away.
            if (cause instanceof IOException || cause instanceof ClosedConnectionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
