package io.cairn.backup.repository;

import jakarta.persistence.OptimisticLockException;
import java.util.Locale;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Recognises the database refusals the service turns into answers (a second active job, a repeated command, a
 * concurrent update), whatever layer of Hibernate Reactive or the PostgreSQL client wrapped them.
 */
public final class PersistenceFailures {
    private PersistenceFailures() {
    }

    /** Whether {@code failure} is a violation of the named unique constraint or index. */
    public static boolean violates(Throwable failure, String constraint) {
        String wanted = constraint.toLowerCase(Locale.ROOT);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation && violation.getConstraintName() != null
                    && violation.getConstraintName().toLowerCase(Locale.ROOT).contains(wanted)) {
                return true;
            }
            // The PostgreSQL client names the constraint in its message ("... violates unique constraint \"x\"").
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("\"" + wanted + "\"")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Whether {@code failure} is a lost optimistic-locking race (the row's version moved on). */
    public static boolean isOptimisticLock(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
