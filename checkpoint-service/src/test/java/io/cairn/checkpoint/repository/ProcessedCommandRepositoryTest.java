package io.cairn.checkpoint.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testing.stack.LocalStackResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Proves the service writes and reads rows through Hibernate Reactive against the real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_checkpoint_test"))
class ProcessedCommandRepositoryTest {

    @Inject
    ProcessedCommandRepository repository;

    @Test
    @RunOnVertxContext
    void writesAndReadsARowThroughHibernateReactive(UniAsserter asserter) {
        String commandId = "smoke-" + UUID.randomUUID();
        OffsetDateTime processedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        ProcessedCommand row = new ProcessedCommand();
        row.commandId = commandId;
        row.domain = "vm-smoke";
        row.commandType = "checkpoint.create";
        row.outcome = "{\"type\":\"checkpoint-created\"}";
        row.processedAt = processedAt;

        asserter.execute(() -> Panache.withTransaction(() -> repository.persist(row)));
        asserter.assertThat(() -> Panache.withSession(() -> repository.findById(commandId)), found -> {
            assertThat(found).isNotNull();
            assertThat(found.domain).isEqualTo("vm-smoke");
            assertThat(found.commandType).isEqualTo("checkpoint.create");
            assertThat(found.outcome).isEqualTo("{\"type\":\"checkpoint-created\"}");
            assertThat(found.processedAt.toInstant()).isEqualTo(processedAt.toInstant());
        });
        asserter.assertThat(() -> Panache.withSession(() -> repository.count("domain", "vm-smoke")),
                count -> assertThat(count).isGreaterThanOrEqualTo(1L));
    }
}
