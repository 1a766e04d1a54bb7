package io.cairn.backup.service.lineage;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * backup-service's copy of which checkpoint names each domain's lineage holds (checkpoint-service owns the lineage
 * and announces every change on cairn.checkpoint.events), so a backup.begin that would create a checkpoint of a name
 * the lineage has is refused before its job exists, as libvirt refuses it, whatever state the host's bitmaps are in.
 */
@ApplicationScoped
public class LineageView {

    /** A checkpoint-created: the name is the lineage's (again, after a redefine). Idempotent. */
    public Uni<Void> created(String domain, String name, String eventId) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "insert into lineage_checkpoint (domain, name, event_id) values (?1, ?2, ?3) "
                                + "on conflict (domain, name) do update set event_id = excluded.event_id")
                .setParameter(1, domain).setParameter(2, name).setParameter(3, eventId).executeUpdate()))
                .replaceWithVoid();
    }

    /** A checkpoint-deleted: the names are free again. Idempotent. */
    public Uni<Void> deleted(String domain, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "delete from lineage_checkpoint where domain = ?1 and name in (?2)")
                .setParameter(1, domain).setParameter(2, names).executeUpdate()))
                .replaceWithVoid();
    }

    public Uni<Boolean> holds(String domain, String name) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "select count(*) from lineage_checkpoint where domain = ?1 and name = ?2", Long.class)
                .setParameter(1, domain).setParameter(2, name).getSingleResult()))
                .map(count -> count > 0);
    }

    /**
     * libvirt's refusal of a new checkpoint whose name the domain's lineage already holds (virDomainCheckpointCreateXML
     * and virDomainBackupBegin alike): VIR_ERR_OPERATION_FAILED "domain moment %s already exists".
     */
    public Uni<Void> requireNew(String domain, String name) {
        return holds(domain, name).flatMap(held -> held
                ? Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED,
                        "domain moment " + name + " already exists"))
                : Uni.createFrom().voidItem());
    }
}
