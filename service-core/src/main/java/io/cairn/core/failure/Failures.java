package io.cairn.core.failure;

import com.fasterxml.jackson.core.JacksonException;
import io.cairn.events.command.InvalidCommandException;
import io.cairn.events.error.CairnException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.persistence.OptimisticLockException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.RetriableException;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Classifies failures once for every consumer and handler, looking through the layers (Mutiny, Hibernate Reactive,
 * the PostgreSQL and Kafka clients) that wrap the real cause.
 */
public final class Failures {
    /** SQLSTATE classes and codes that say "try again later" (PostgreSQL appendix A). */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "53", "57P");
    private static final Set<String> TRANSIENT_SQL_CODES = Set.of("40001", "40P01");

    private Failures() {
    }

    /**
     * Transient: the database or broker away, a lost race, a command still in progress elsewhere. Permanent: a
     * libvirt error, a contract violation, an unreadable payload, or anything unexpected (a bug answers with an
     * internal error rather than blocking its partition forever).
     */
    public static FailureClass classify(Throwable failure) {
        if (failure instanceof InvalidCommandException invalid && invalid.commandId() == null) {
            return FailureClass.POISON;
        }
        if (anyCause(failure, c -> c instanceof CairnException || c instanceof JacksonException
                || c instanceof InvalidCommandException)) {
            return FailureClass.PERMANENT;
        }
        return isTransient(failure) ? FailureClass.TRANSIENT : FailureClass.PERMANENT;
    }

    /** Whether trying again later can succeed where this attempt failed. */
    public static boolean isTransient(Throwable failure) {
        return isOutage(failure) || isConflict(failure) || anyCause(failure, c -> c instanceof CommandInProgress);
    }

    /**
     * Another writer changed a row this transaction read (a version check failed): running the command again reads
     * the new state, and its commandId claim keeps a retry harmless.
     */
    public static boolean isConflict(Throwable failure) {
        return anyCause(failure, c -> c instanceof OptimisticLockException || c instanceof StaleStateException);
    }

    /** The database or the broker is unreachable, restarting or out of connections. */
    public static boolean isOutage(Throwable failure) {
        return anyCause(failure, cause -> {
            if (cause instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                return TRANSIENT_SQL_CODES.contains(state) || TRANSIENT_SQL_CLASSES.stream().anyMatch(state::startsWith);
            }
            if (cause instanceof JacksonException) {
                return false; // an IOException by inheritance only: a parse error never heals
            }
            return cause instanceof ConnectException || cause instanceof ClosedConnectionException
                    || cause instanceof RetriableException || cause instanceof IOException
                    || (cause instanceof VertxException && String.valueOf(cause.getMessage()).contains("closed"));
        });
    }

    /** Whether the failure is a violation of the named unique constraint or index. */
    public static boolean violates(Throwable failure, String constraint) {
        String wanted = constraint.toLowerCase(Locale.ROOT);
        return anyCause(failure, cause -> {
            if (cause instanceof ConstraintViolationException violation && violation.getConstraintName() != null
                    && violation.getConstraintName().toLowerCase(Locale.ROOT).contains(wanted)) {
                return true;
            }
            // The PostgreSQL client names the constraint in its message ("... violates unique constraint \"x\"").
            return String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains(wanted);
        });
    }

    /** Whether the failure or anything it wraps matches: drivers and Mutiny wrap the real cause several times. */
    public static boolean anyCause(Throwable failure, Predicate<Throwable> match) {
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

    /** The first cause of the given type, or null. */
    public static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
