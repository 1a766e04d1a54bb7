package io.cairn.checkpoint.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.error.CairnException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only the unique-name violation becomes libvirt's duplicate error; every other failure passes through untouched. */
class PersistenceErrorsTest {

    @Test
    void theUniqueNameViolationAnywhereInTheChainIsLibvirtsDuplicateError() {
        SQLException database = new SQLException(
                "ERROR: duplicate key value violates unique constraint \"checkpoint_domain_name_key\" (23505)");
        RuntimeException wrapped = new RuntimeException("could not execute statement", database);

        Throwable mapped = PersistenceErrors.mapped(wrapped, List.of("c7"));

        assertThat(mapped).isInstanceOf(CairnException.class).hasMessage("domain moment c7 already exists")
                .hasCause(wrapped);
        assertThat(((CairnException) mapped).toErrorInfo().number()).isEqualTo(9);
    }

    @Test
    void otherFailuresAreReturnedAsTheyAre() {
        RuntimeException other = new RuntimeException("connection reset",
                new SQLException("ERROR: deadlock detected (40P01)"));

        assertThat(PersistenceErrors.mapped(other, List.of("c7"))).isSameAs(other);
    }
}
