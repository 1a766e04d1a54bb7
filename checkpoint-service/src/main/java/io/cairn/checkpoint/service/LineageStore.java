package io.cairn.checkpoint.service;

import io.cairn.checkpoint.mapping.LineageMapper;
import io.cairn.checkpoint.repository.CheckpointEntity;
import io.cairn.checkpoint.repository.CheckpointRepository;
import io.cairn.checkpoint.repository.DomainLineageEntity;
import io.cairn.checkpoint.repository.DomainLineageRepository;
import io.cairn.checkpoint.repository.PersistenceErrors;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.checkpoint.service.lineage.CheckpointTree;
import io.cairn.checkpoint.service.lineage.DomainIdentity;
import io.cairn.core.agent.HostDirectory;
import io.cairn.core.outbox.EventOutbox;
import io.cairn.events.event.LineageRetiredEvent;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
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
    private static final Logger LOG = Logger.getLogger(LineageStore.class);
    private final CheckpointRepository checkpoints;
    private final DomainLineageRepository domains;

    private final HostDirectory hosts;
    private final RetiredLineages retired;
    private final EventOutbox outbox;

    public LineageStore(CheckpointRepository checkpoints, DomainLineageRepository domains, HostDirectory hosts,
            RetiredLineages retired, EventOutbox outbox) {
        this.checkpoints = checkpoints;
        this.domains = domains;
        this.hosts = hosts;
        this.retired = retired;
        this.outbox = outbox;
    }

    /** The UUID of the VM running under the domain's name now, from its host's inventory; null when unknown. */
    private String uuidNow(String domain) {
        return hosts.find(domain).map(placement -> placement.domain().uuid()).orElse(null);
    }

    /**
     * Answers a question about a domain's lineage (lookup, listing, a deletion plan) without locking: a reader
     * sees the last committed lineage. The tree handed to {@code query} is a private copy; changing it changes nothing.
     */
    public <T> Uni<T> read(String domain, Function<CheckpointTree, T> query) {
        return Panache.withSession(() -> domains.findById(domain)
                // A lineage bound to another VM than the one under this name now is not its lineage (the next
                // change of the domain retires it).
                .flatMap(head -> head == null || DomainIdentity.of(head.uuid, uuidNow(domain)) == DomainIdentity.RETIRE
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
                        .call(this::followIdentity)
                        .flatMap(head -> checkpoints.listByDomain(domain)
                                .flatMap(rows -> this.<T>applyAndSave(head, rows, change, inserted)))
                        .flatMap(result -> inTransaction.apply(result)))
                .onFailure().transform(failure -> PersistenceErrors.mapped(failure, inserted));
    }

    /**
     * Binds the lineage to the UUID of the VM under its name now, or, when that is another VM's, retires it: its
     * checkpoints move to a retired lineage, the domain starts an empty one bound to the new UUID, and
     * lineage-retired says so, all in this transaction under the domain's lock, before the change applies.
     */
    private Uni<Void> followIdentity(DomainLineageEntity head) {
        String now = uuidNow(head.domain);
        return switch (DomainIdentity.of(head.uuid, now)) {
            case SAME -> Uni.createFrom().voidItem();
            case BIND -> {
                head.uuid = now;
                yield Uni.createFrom().voidItem();
            }
            case RETIRE -> {
                String old = head.uuid;
                String current = head.currentCheckpoint;
                head.currentCheckpoint = null;
                head.uuid = now;
                head.updatedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
                yield Panache.flush().chain(() -> retired.retire(head.domain, old, now, current))
                        .invoke(names -> LOG.warnf("domain %s is another VM now (UUID %s, was %s): its lineage (%d "
                                + "checkpoints) is retired, a new one begins", head.domain, now, old, names.size()))
                        .chain(names -> outbox.add(new LineageRetiredEvent(UUID.randomUUID().toString(),
                                Instant.now(), head.domain, null, old, now, names)));
            }
        };
    }

    /** Binds or retires the domain's lineage now if the VM under its name is not the one it is bound to. */
    public Uni<Boolean> followIdentityIfChanged(String domain) {
        return Panache.withSession(() -> domains.findById(domain))
                .flatMap(head -> head == null || DomainIdentity.of(head.uuid, uuidNow(domain)) == DomainIdentity.SAME
                        ? Uni.createFrom().item(false)
                        : update(domain, tree -> null).replaceWith(true));
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
