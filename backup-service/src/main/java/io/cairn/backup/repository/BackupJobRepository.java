package io.cairn.backup.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on backup jobs: by id, by command, the active job of a domain, history, and all active jobs. */
@ApplicationScoped
public class BackupJobRepository implements PanacheRepositoryBase<BackupJobEntity, String> {

    /** The states that hold a domain; must match the partial indexes of V1__backup_jobs.sql. */
    public static final List<String> ACTIVE_STATES = List.of("QUEUED", "STARTING", "RUNNING");

    /** The partial unique index that allows one active job per domain. */
    public static final String ONE_ACTIVE_PER_DOMAIN = "backup_job_one_active_per_domain";

    /** The unique constraint that makes a command create at most one job. */
    public static final String COMMAND_UNIQUE = "backup_job_command_unique";

    public Uni<BackupJobEntity> findByCommandId(String commandId) {
        return find("commandId", commandId).firstResult();
    }

    public Uni<BackupJobEntity> findActiveByDomain(String domain) {
        return find("domain = ?1 and state in ?2", domain, ACTIVE_STATES).firstResult();
    }

    /** A domain's jobs, newest request first. */
    public Uni<List<BackupJobEntity>> history(String domain, int limit) {
        return find("domain", Sort.descending("requestedAt").and("jobId", Sort.Direction.Descending), domain)
                .page(Page.ofSize(limit)).list();
    }

    /** The fleet's jobs, newest request first (the console's job history; the caller filters by scope). */
    public Uni<List<BackupJobEntity>> recent(int limit) {
        return findAll(Sort.descending("requestedAt").and("jobId", Sort.Direction.Descending))
                .page(Page.ofSize(limit)).list();
    }

    /** Every active job of the fleet, in arrival order. */
    public Uni<List<BackupJobEntity>> listActiveByArrival() {
        return find("state in ?1", Sort.ascending("arrival"), ACTIVE_STATES).list();
    }

    public Uni<Long> nextArrival() {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select nextval('backup_job_arrival_seq')", Long.class)
                .getSingleResult());
    }
}
