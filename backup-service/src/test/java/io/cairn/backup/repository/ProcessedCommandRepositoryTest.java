package io.cairn.backup.repository;

import io.cairn.core.command.ProcessedCommand;
import io.cairn.core.command.ProcessedCommandRepository;
import io.cairn.core.failure.Failures;
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

/** The command idempotency table: a command id is recorded once with its outcome and found again. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class,
        initArgs = @ResourceArg(name = "database", value = "cairn_backup_test"))
class ProcessedCommandRepositoryTest {

    @Inject
    ProcessedCommandRepository repository;

    @Test
    @RunOnVertxContext
    void recordsACommandAndItsOutcomeOnce(UniAsserter asserter) {
        String commandId = "cmd-" + UUID.randomUUID();
        String domain = "vm-" + UUID.randomUUID();
        OffsetDateTime processedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        ProcessedCommand row = new ProcessedCommand();
        row.commandId = commandId;
        row.domain = domain;
        row.commandType = "backup.begin";
        row.outcome = "{\"type\":\"backup-started\"}";
        row.processedAt = processedAt;

        asserter.execute(() -> Panache.withTransaction(() -> repository.persist(row)));
        asserter.assertThat(() -> Panache.withSession(() -> repository.findById(commandId)), found -> {
            assertThat(found.domain).isEqualTo(domain);
            assertThat(found.commandType).isEqualTo("backup.begin");
            assertThat(found.outcome).isEqualTo("{\"type\":\"backup-started\"}");
            assertThat(found.processedAt.toInstant()).isEqualTo(processedAt.toInstant());
        });
        asserter.assertFailedWith(() -> Panache.withTransaction(() -> {
            ProcessedCommand again = new ProcessedCommand();
            again.commandId = commandId;
            again.domain = domain;
            again.commandType = "backup.begin";
            again.outcome = "{}";
            again.processedAt = processedAt;
            return repository.persistAndFlush(again);
        }), failure -> assertThat(Failures.violates(failure, "processed_command_pkey")).isTrue());
        asserter.assertThat(() -> Panache.withSession(() -> repository.count("domain", domain)),
                count -> assertThat(count).isEqualTo(1L));
    }
}
