package io.cairn.backup.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on the backup catalog: a domain's artifacts, and the ended jobs that explain a missing one. */
@ApplicationScoped
public class BackupArtifactRepository implements PanacheRepositoryBase<BackupArtifactEntity, String> {

    /** Domain and host pairs holding an artifact with a checksum not verified since {@code before} (or never). */
    public Uni<List<String[]>> domainsUnverifiedSince(java.time.OffsetDateTime before) {
        return getSession().flatMap(session -> session.createSelectionQuery("select distinct a.domain, a.hostId "
                        + "from BackupArtifactEntity a where a.prunedAt is null and a.sha256 is not null and (a.verifiedAt is null "
                        + "or a.verifiedAt < :before)", Object[].class).setParameter("before", before).getResultList())
                .map(rows -> rows.stream().map(row -> new String[] {(String) row[0], (String) row[1]}).toList());
    }

    /** A domain's artifacts, oldest first (the order chains are built in); pruned ones are no longer in it. */
    public Uni<List<BackupArtifactEntity>> ofDomain(String domain) {
        return find("domain = ?1 and prunedAt is null", Sort.ascending("completedAt").and("jobId").and("disk"),
                domain).list();
    }

    /**
     * The domain's ended jobs that created a checkpoint: those that left no artifact (failed, cancelled, pull) say
     * why a link of a chain is missing.
     */
    public Uni<List<BackupJobEntity>> endedJobsWithCheckpoint(String domain) {
        return Panache.getSession().chain(session -> session.createQuery("from BackupJobEntity where domain = ?1 "
                        + "and checkpointName is not null and endedAt is not null order by endedAt",
                BackupJobEntity.class).setParameter(1, domain).getResultList());
    }

    /** A job's artifacts, pruned ones included (a disk whose file was pruned is still not registered again). */
    public Uni<List<BackupArtifactEntity>> ofJob(String jobId) {
        return find("jobId", jobId).list();
    }
}
