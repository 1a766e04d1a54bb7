package io.cairn.checkpoint.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads and writes the stored checkpoints of one domain at a time. */
@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<CheckpointEntity, Long> {

    public Uni<List<CheckpointEntity>> listByDomain(String domain) {
        return list("domain", domain);
    }
}
