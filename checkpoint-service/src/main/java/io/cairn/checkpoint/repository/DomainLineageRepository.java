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
     * Creates the domain's row if it is missing, then locks it ({@code SELECT ... FOR UPDATE}) until the transaction
     * ends. The insert ignores a conflict, so two first writers of a new domain both end up waiting on the same row.
     */
    public Uni<DomainLineageEntity> lockCreatingIfMissing(String domain) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("INSERT INTO checkpoint_domain (domain, version, updated_at) "
                                + "VALUES (:domain, 0, now()) ON CONFLICT (domain) DO NOTHING")
                        .setParameter("domain", domain)
                        .executeUpdate())
                .flatMap(inserted -> findById(domain, LockModeType.PESSIMISTIC_WRITE));
    }
}
