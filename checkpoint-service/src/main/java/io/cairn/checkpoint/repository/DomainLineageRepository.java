package io.cairn.checkpoint.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Finds a domain's lineage head, and locks it so one domain's writers take turns. */
@ApplicationScoped
public class DomainLineageRepository implements PanacheRepositoryBase<DomainLineageEntity, String> {

    /**
     * Locks the domain's row ({@code SELECT ... FOR UPDATE}) until the transaction ends, creating it first when it is
     * missing. A known domain costs one round trip; for a new one the insert ignores a conflict, so two first writers
     * both end up waiting on the same row.
     */
    public Uni<DomainLineageEntity> lockCreatingIfMissing(String domain) {
        return findById(domain, LockModeType.PESSIMISTIC_WRITE).flatMap(head -> head != null
                ? Uni.createFrom().item(head)
                : Panache.getSession().flatMap(session -> session.createNativeQuery("INSERT INTO checkpoint_domain "
                                + "(domain, version, updated_at) VALUES (:domain, 0, now()) ON CONFLICT (domain) DO NOTHING")
                        .setParameter("domain", domain)
                        .executeUpdate())
                        .flatMap(inserted -> findById(domain, LockModeType.PESSIMISTIC_WRITE)));
    }
}
