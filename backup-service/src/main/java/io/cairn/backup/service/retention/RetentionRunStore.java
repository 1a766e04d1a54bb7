package io.cairn.backup.service.retention;

import io.cairn.backup.mapping.RetentionRunMapper;
import io.cairn.backup.repository.RetentionRunRepository;
import io.cairn.core.failure.Failures;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Stores retention runs: each change loads the run, applies the model's rule and saves it in one transaction with
 * optimistic locking, together with what the change must also write (catalog rows, the outcome in the outbox).
 */
@ApplicationScoped
public class RetentionRunStore {
    private static final int OPTIMISTIC_LOCK_RETRIES = 3;

    /** A change and what it decided. */
    public record Change<T>(RetentionRun run, T result) {
    }

    private final RetentionRunRepository runs;
    private final RetentionRunMapper mapper;

    public RetentionRunStore(RetentionRunRepository runs, RetentionRunMapper mapper) {
        this.runs = runs;
        this.mapper = mapper;
    }

    /** Stores a new run; the same command twice yields the run it first created. Call inside a transaction. */
    public Uni<RetentionRun> createInTransaction(RetentionRun run) {
        return runs.findByCommandId(run.commandId()).chain(existing -> existing != null
                ? Uni.createFrom().item(mapper.toModel(existing))
                : runs.persistAndFlush(mapper.toNewEntity(run)).replaceWith(run));
    }

    /** Stores a new run in its own transaction; a concurrent twin of the same command yields that one. */
    public Uni<RetentionRun> create(RetentionRun run) {
        return Panache.withTransaction(() -> createInTransaction(run))
                .onFailure(failure -> Failures.violates(failure, RetentionRunRepository.COMMAND_UNIQUE))
                .recoverWithUni(() -> Panache.withSession(() -> runs.findByCommandId(run.commandId()))
                        .map(mapper::toModel));
    }

    /**
     * Applies {@code change} and runs {@code alsoInTransaction} in the same transaction.
     *
     * @throws CairnException VIR_ERR_NO_DOMAIN_BACKUP (404) when there is no such run
     */
    public <T> Uni<Change<T>> update(String runId, Function<RetentionRun, T> change,
            Function<Change<T>, Uni<Void>> alsoInTransaction) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> runs.findById(runId)
                        .onItem().ifNull().failWith(() -> noRun(runId))
                        .map(row -> {
                            RetentionRun run = mapper.toModel(row);
                            T result = change.apply(run);
                            mapper.copyInto(run, row);
                            return new Change<>(run, result);
                        })
                        .call(alsoInTransaction::apply)))
                .onFailure(Failures::isConflict).retry().atMost(OPTIMISTIC_LOCK_RETRIES);
    }

    public Uni<Optional<RetentionRun>> find(String runId) {
        return Panache.withSession(() -> runs.findById(runId)).map(row -> Optional.ofNullable(row).map(mapper::toModel));
    }

    public Uni<Optional<RetentionRun>> findByCommand(String commandId) {
        return Panache.withSession(() -> runs.findByCommandId(commandId))
                .map(row -> Optional.ofNullable(row).map(mapper::toModel));
    }

    public Uni<List<RetentionRun>> history(String domain, int limit) {
        return Panache.withSession(() -> runs.history(domain, limit))
                .map(rows -> rows.stream().map(mapper::toModel).toList());
    }

    /** Runs waiting or running, oldest first. */
    public Uni<List<RetentionRun>> active() {
        return Panache.withSession(runs::active).map(rows -> rows.stream().map(mapper::toModel).toList());
    }

    /** The artifacts (ids) the domain's RUNNING run is to delete; empty when none runs. */
    public Uni<java.util.Set<String>> deletingNow(String domain) {
        return Panache.withSession(() -> runs.find("domain = ?1 and state = 'RUNNING'", domain).firstResult())
                .map(row -> row == null ? java.util.Set.<String>of() : mapper.toModel(row).work()
                        .map(work -> work.deletions().stream().map(gone -> gone.artifact())
                                .collect(java.util.stream.Collectors.toSet()))
                        .orElse(java.util.Set.of()));
    }

    public Uni<Boolean> running(String domain) {
        return Panache.withSession(() -> runs.running(domain));
    }

    public static CairnException noRun(String runId) {
        return new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "no retention run with id '" + runId
                + "' present");
    }
}
