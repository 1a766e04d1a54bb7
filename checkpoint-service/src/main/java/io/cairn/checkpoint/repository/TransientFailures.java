package io.cairn.checkpoint.repository;

import io.vertx.pgclient.PgException;
import jakarta.persistence.OptimisticLockException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;
import java.util.function.Predicate;
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
        return anyCause(failure, cause -> cause instanceof OptimisticLockException
                || cause instanceof StaleStateException);
    }

    public static boolean isTransient(Throwable failure) {
        return anyCause(failure, cause -> {
            if (cause instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                if (TRANSIENT_CODES.contains(state) || TRANSIENT_CLASSES.stream().anyMatch(state::startsWith)) {
                    return true;
                }
            }
            // Connection refused or reset, a connection closed under a query: the server went away.
            return cause instanceof IOException || cause instanceof ClosedConnectionException;
        });
    }

    /** Whether the failure or anything it wraps matches: drivers and Mutiny wrap the real cause several times. */
    private static boolean anyCause(Throwable failure, Predicate<Throwable> match) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (match.test(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
