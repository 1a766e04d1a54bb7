package io.cairn.core.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads the outbox in commit order, which is the order events must reach Kafka in. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, Long> {

    public Uni<List<OutboxEvent>> pending(int limit) {
        return find("publishedAt is null and parkedAt is null order by id").page(0, limit).list();
    }

    public Uni<Long> countPending() {
        return count("publishedAt is null and parkedAt is null");
    }
}
