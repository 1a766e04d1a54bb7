package io.cairn.backup.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on retention runs: by command, a domain's history, and the ones not ended yet. */
@ApplicationScoped
public class RetentionRunRepository implements PanacheRepositoryBase<RetentionRunEntity, String> {

    /** The unique constraint that makes a command create at most one run. */
    public static final String COMMAND_UNIQUE = "retention_run_command_unique";

    public Uni<RetentionRunEntity> findByCommandId(String commandId) {
        return find("commandId", commandId).firstResult();
    }

    public Uni<List<RetentionRunEntity>> history(String domain, int limit) {
        return find("domain", Sort.descending("requestedAt").and("runId", Sort.Direction.Descending), domain)
                .page(Page.ofSize(limit)).list();
    }

    /** Runs waiting to start or running, oldest first. */
    public Uni<List<RetentionRunEntity>> active() {
        return find("state in ?1", Sort.ascending("requestedAt"), List.of("PENDING", "RUNNING")).list();
    }

    /** Whether a run of the domain is changing its files now. */
    public Uni<Boolean> running(String domain) {
        return count("domain = ?1 and state = 'RUNNING'", domain).map(count -> count > 0);
    }
}
