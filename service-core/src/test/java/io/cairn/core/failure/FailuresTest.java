package io.cairn.checkpoint.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures make the command consumer wait for the database instead of dead-lettering the command. */
class TransientFailuresTest {

    @Test
    void aDatabaseThatIsAwayIsTransient() {
        assertThat(TransientFailures.isTransient(new PgException("starting up", "FATAL", "57P03", null))).isTrue();
        assertThat(TransientFailures.isTransient(new PgException("admin shutdown", "FATAL", "57P01", null))).isTrue();
        assertThat(TransientFailures.isTransient(new PgException("too many clients", "FATAL", "53300", null)))
                .isTrue();
        assertThat(TransientFailures.isTransient(new CompletionException(new ConnectException("refused")))).isTrue();
    }

    @Test
    void aLostVersionCheckIsAConflictNotAnOutage() {
        Throwable stale = new java.util.concurrent.CompletionException(new org.hibernate.StaleObjectStateException(
                "io.cairn.checkpoint.repository.CheckpointEntity", 42L));
        assertThat(TransientFailures.isConflict(stale)).isTrue();
        assertThat(TransientFailures.isConflict(new jakarta.persistence.OptimisticLockException("row changed")))
                .isTrue();
        assertThat(TransientFailures.isTransient(stale)).isFalse();
        assertThat(TransientFailures.isConflict(new PgException("starting up", "FATAL", "57P03", null))).isFalse();
        assertThat(TransientFailures.isConflict(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void aRealErrorIsNot() {
        assertThat(TransientFailures.isTransient(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
        assertThat(TransientFailures.isTransient(new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "bad")))
                .isFalse();
        assertThat(TransientFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    }
}
