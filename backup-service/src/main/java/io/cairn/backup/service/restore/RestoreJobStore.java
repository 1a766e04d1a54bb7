package io.cairn.backup.service.restore;

import io.cairn.backup.mapping.RestoreJobMapper;
import io.cairn.backup.repository.RestoreJobEntity;
import io.cairn.backup.repository.RestoreJobRepository;
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
 * Stores restores: each change loads the restore, applies the model's rule and saves it in one transaction with
 * optimistic locking, together with whatever the change must publish (its events in the outbox).
 */
@ApplicationScoped
public class RestoreJobStore {
    private static final int OPTIMISTIC_LOCK_RETRIES = 3;

    /** A change and what it decided. */
    public record Change<T>(RestoreJob job, T result) {
    }

    private final RestoreJobRepository restores;
    private final RestoreJobMapper mapper;

    public RestoreJobStore(RestoreJobRepository restores, RestoreJobMapper mapper) {
        this.restores = restores;
        this.mapper = mapper;
    }

    /** Stores a new restore; the same command twice yields the restore it first created. */
    public Uni<RestoreJob> create(RestoreJob job) {
        return Panache.withTransaction(() -> restores.findByCommandId(job.commandId())
                        .chain(existing -> existing != null ? Uni.createFrom().item(mapper.toModel(existing))
                                : restores.persistAndFlush(mapper.toNewEntity(job)).replaceWith(job)))
                .onFailure(failure -> Failures.violates(failure, RestoreJobRepository.COMMAND_UNIQUE))
                .recoverWithUni(() -> Panache.withSession(() -> restores.findByCommandId(job.commandId()))
                        .map(mapper::toModel));
    }

    /**
     * Applies {@code change} and runs {@code alsoInTransaction} in the same transaction.
     *
     * @throws CairnException VIR_ERR_NO_DOMAIN_BACKUP (404) when there is no such restore
     */
    public <T> Uni<Change<T>> update(String restoreId, Function<RestoreJob, T> change,
            Function<Change<T>, Uni<Void>> alsoInTransaction) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> restores.findById(restoreId)
                        .onItem().ifNull().failWith(() -> noRestore(restoreId))
                        .map(row -> {
                            RestoreJob job = mapper.toModel(row);
                            T result = change.apply(job);
                            mapper.copyInto(job, row);
                            return new Change<>(job, result);
                        })
                        .call(alsoInTransaction::apply)))
                .onFailure(Failures::isConflict).retry().atMost(OPTIMISTIC_LOCK_RETRIES);
    }

    public Uni<Optional<RestoreJob>> find(String restoreId) {
        return Panache.withSession(() -> restores.findById(restoreId))
                .map(row -> Optional.ofNullable(row).map(mapper::toModel));
    }

    public Uni<Optional<RestoreJob>> findByCommand(String commandId) {
        return Panache.withSession(() -> restores.findByCommandId(commandId))
                .map(row -> Optional.ofNullable(row).map(mapper::toModel));
    }

    public Uni<List<RestoreJob>> history(String domain, int limit) {
        return Panache.withSession(() -> restores.history(domain, limit))
                .map(rows -> rows.stream().map(mapper::toModel).toList());
    }

    public Uni<List<String>> activeIds() {
        return Panache.withSession(restores::active)
                .map(rows -> rows.stream().map((RestoreJobEntity row) -> row.restoreId).toList());
    }

    public static CairnException noRestore(String restoreId) {
        return new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "no restore job with id '" + restoreId + "' present");
    }
}
