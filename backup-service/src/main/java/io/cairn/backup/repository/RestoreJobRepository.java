package io.cairn.backup.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on restores: by id, by command, a domain's history, and the ones not ended yet. */
@ApplicationScoped
public class RestoreJobRepository implements PanacheRepositoryBase<RestoreJobEntity, String> {

    /** The unique constraint that makes a command create at most one restore. */
    public static final String COMMAND_UNIQUE = "restore_job_command_unique";

    public Uni<RestoreJobEntity> findByCommandId(String commandId) {
        return find("commandId", commandId).firstResult();
    }

    /** A domain's restores, newest request first. */
    public Uni<List<RestoreJobEntity>> history(String domain, int limit) {
        return find("domain", Sort.descending("requestedAt").and("restoreId", Sort.Direction.Descending), domain)
                .page(Page.ofSize(limit)).list();
    }

    /** Whether a verify of the domain is asked or running (the schedule does not pile a second one on). */
    public Uni<Boolean> verifying(String domain) {
        return count("domain = ?1 and mode = 'VERIFY' and state in ?2", domain, List.of("STARTING", "RUNNING"))
                .map(count -> count > 0);
    }

    /**
     * The domain's restore or verify that is still reading its artifacts, if any (an export that serves keeps the
     * files it opened, so it does not hold retention back).
     */
    public Uni<RestoreJobEntity> activeOf(String domain) {
        return find("domain = ?1 and state in ?2", domain, List.of("STARTING", "RUNNING")).firstResult();
    }

    /** Every restore not ended yet (exports that serve included), oldest first. */
    public Uni<List<RestoreJobEntity>> active() {
        return find("state in ?1", Sort.ascending("requestedAt"), List.of("STARTING", "RUNNING", "EXPORTED")).list();
    }
}
