package io.cairn.checkpoint.service;

import io.cairn.checkpoint.mapping.LineageMapper;
import io.cairn.checkpoint.repository.CheckpointEntity;
import io.cairn.checkpoint.repository.CheckpointRepository;
import io.cairn.checkpoint.repository.DomainLineageEntity;
import io.cairn.checkpoint.repository.DomainLineageRepository;
import io.cairn.checkpoint.repository.PersistenceErrors;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.checkpoint.service.lineage.CheckpointTree;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads a domain's lineage, lets the pure {@link CheckpointTree} decide, and saves the outcome in the same
 * transaction under the domain's row lock: the one way the service changes checkpoints.
 */
@ApplicationScoped
public class LineageStore {
    private final CheckpointRepository checkpoints;
    private final DomainLineageRepository domains;

    public LineageStore(CheckpointRepository checkpoints, DomainLineageRepository domains) {
        this.checkpoints = checkpoints;
        this.domains = domains;
    }

    /**
     * Answers a question about a domain's lineage (lookup, listing, a deletion plan) without locking: a reader
     * sees the last committed lineage. The tree handed to {@code query} is a private copy; changing it changes nothing.
     */
    public <T> Uni<T> read(String domain, Function<CheckpointTree, T> query) {
        return Panache.withSession(() -> domains.findById(domain)
                .flatMap(head -> head == null
                        ? Uni.createFrom().item(CheckpointTree.empty(domain))
                        : checkpoints.listByDomain(domain)
                                .map(rows -> LineageMapper.toTree(domain, rows, head.currentCheckpoint)))
                .map(query));
    }

    /**
     * Applies {@code change} to the domain's lineage and commits what it changed, all in one transaction holding the
     * domain's row lock. A libvirt error thrown by the change rolls everything back and reaches the caller as is.
     */
    public <T> Uni<T> update(String domain, Function<CheckpointTree, T> change) {
        return update(domain, change, result -> Uni.createFrom().item(result));
    }

    /**
     * Like {@link #update(String, Function)}, then {@code inTransaction} with the change's result before the commit:
     * the command's outcome is recorded together with the change it reports.
     */
    public <T, R> Uni<R> update(String domain, Function<CheckpointTree, T> change,
            Function<T, Uni<R>> inTransaction) {
        List<String> inserted = new ArrayList<>();
        return Panache.withTransaction(() -> domains.lockCreatingIfMissing(domain)
                        .flatMap(head -> checkpoints.listByDomain(domain)
                                .flatMap(rows -> this.<T>applyAndSave(head, rows, change, inserted)))
                        .flatMap(result -> inTransaction.apply(result)))
                .onFailure().transform(failure -> PersistenceErrors.mapped(failure, inserted));
    }

    private <T> Uni<T> applyAndSave(DomainLineageEntity head, List<CheckpointEntity> rows,
            Function<CheckpointTree, T> change, List<String> inserted) {
        CheckpointTree tree = LineageMapper.toTree(head.domain, rows, head.currentCheckpoint);
        T result = change.apply(tree);
        return save(head, rows, tree, inserted).flatMap(saved -> Panache.flush()).replaceWith(result);
    }

    /** Writes only the difference: new rows inserted, changed rows updated (version bumped), vanished rows deleted. */
    private Uni<Void> save(DomainLineageEntity head, List<CheckpointEntity> rows, CheckpointTree tree,
            List<String> inserted) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Map<String, CheckpointEntity> stored = new HashMap<>();
        for (CheckpointEntity row : rows) {
            stored.put(row.name, row);
        }
        Uni<Void> writes = Uni.createFrom().voidItem();
        for (Checkpoint checkpoint : tree.checkpoints()) {
            CheckpointEntity row = stored.remove(checkpoint.name());
            if (row == null) {
                CheckpointEntity created = LineageMapper.newRow(head.domain, checkpoint, now);
                inserted.add(checkpoint.name());
                writes = writes.flatMap(done -> checkpoints.persist(created)).replaceWithVoid();
            } else if (!LineageMapper.toCheckpoint(row).equals(checkpoint)) {
                LineageMapper.update(row, checkpoint, now);
            }
        }
        for (CheckpointEntity vanished : stored.values()) {
            writes = writes.flatMap(done -> checkpoints.delete(vanished));
        }
        String current = tree.currentName().orElse(null);
        if (!Objects.equals(current, head.currentCheckpoint)) {
            head.currentCheckpoint = current;
            head.updatedAt = now;
        }
        return writes;
    }
}
