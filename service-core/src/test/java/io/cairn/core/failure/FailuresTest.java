package io.cairn.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.cairn.events.command.InvalidCommandException;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.hibernate.StaleStateException;
import org.junit.jupiter.api.Test;

/** The one failure classification: what is retried, what is answered at once, what is dead-lettered. */
class FailuresTest {

    @Test
    void anUnavailableDatabaseOrBrokerIsTransient() {
        assertThat(Failures.classify(new PgException("starting up", "FATAL", "57P03", null)))
                .isEqualTo(FailureClass.TRANSIENT);
        assertThat(Failures.isTransient(new PgException("admin shutdown", "FATAL", "57P01", null))).isTrue();
        assertThat(Failures.isTransient(new PgException("too many clients", "FATAL", "53300", null))).isTrue();
        assertThat(Failures.isTransient(new CompletionException(new ConnectException("refused")))).isTrue();
        assertThat(Failures.isTransient(new TimeoutException("broker away"))).isTrue();
    }

    @Test
    void aLostVersionCheckIsAConflictAndTransient() {
        StaleStateException stale = new StaleStateException("row was updated by another transaction");
        assertThat(Failures.isConflict(stale)).isTrue();
        assertThat(Failures.isConflict(new jakarta.persistence.OptimisticLockException("row changed"))).isTrue();
        assertThat(Failures.classify(stale)).isEqualTo(FailureClass.TRANSIENT);
        assertThat(Failures.isConflict(new PgException("starting up", "FATAL", "57P03", null))).isFalse();
    }

    @Test
    void aCommandHeldByAnotherDeliveryIsTransient() {
        assertThat(Failures.classify(new CommandInProgress("c1"))).isEqualTo(FailureClass.TRANSIENT);
    }

    /** Before the core, any IOException counted as transient: a parse error was retried forever. */
    @Test
    void aParseErrorIsPermanentThoughJacksonCallsItAnIOException() throws Exception {
        Exception parse = null;
        try {
            CairnJson.mapper().readTree("{not json");
        } catch (JsonParseException e) {
            parse = e;
        }
        assertThat(parse).isInstanceOf(java.io.IOException.class);
        assertThat(Failures.classify(parse)).isEqualTo(FailureClass.PERMANENT);
        assertThat(Failures.classify(new CompletionException(parse))).isEqualTo(FailureClass.PERMANENT);
        assertThat(Failures.isTransient(parse)).isFalse();
    }

    @Test
    void libvirtErrorsContractViolationsAndBugsArePermanent() {
        assertThat(Failures.classify(new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "bad")))
                .isEqualTo(FailureClass.PERMANENT);
        assertThat(Failures.classify(new PgException("duplicate key", "ERROR", "23505", null)))
                .isEqualTo(FailureClass.PERMANENT);
        assertThat(Failures.classify(new IllegalStateException("bug"))).isEqualTo(FailureClass.PERMANENT);
        // A CairnException wrapping an outage is still the libvirt error it was made into.
        assertThat(Failures.classify(new CairnException(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, "agent",
                new ConnectException("refused")))).isEqualTo(FailureClass.PERMANENT);
    }

    @Test
    void aRecordThatNamesNoCommandIsPoison() {
        assertThat(Failures.classify(new InvalidCommandException(VirErrorCode.VIR_ERR_INVALID_ARG, "no commandId", null, null, null)))
                .isEqualTo(FailureClass.POISON);
    }

    @Test
    void namesAConstraintViolationWhateverWrapsIt() {
        PgException duplicate = new PgException("duplicate key value violates unique constraint "
                + "\"processed_command_pkey\"", "ERROR", "23505", null);
        assertThat(Failures.violates(new CompletionException(duplicate), "processed_command_pkey")).isTrue();
        assertThat(Failures.violates(duplicate, "backup_job_command_unique")).isFalse();
    }
}
