package io.cairn.backup.service;

import io.cairn.backup.repository.RestoreJobRepository;
import io.cairn.backup.service.retention.RetentionRunStore;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * What a domain's backup files are busy with: retention rewrites and deletes them, so it waits for backups, restores
 * and verifies of the domain to end, and restores and verifies wait for it (a verify reading a file mid-merge would
 * find it damaged).
 */
@ApplicationScoped
public class DomainActivity {

    @Inject
    BackupJobStore jobs;

    @Inject
    RestoreJobRepository restores;

    @Inject
    RetentionRunStore runs;

    /** Why retention cannot run on the domain now; empty when it can. */
    public Uni<Optional<String>> whyRetentionMustWait(String domain) {
        return jobs.findActive(domain).flatMap(job -> {
            if (job.isPresent()) {
                return Uni.createFrom().item(Optional.of("backup job " + job.get().jobId() + " of '" + domain
                        + "' is active"));
            }
            return Panache.withSession(() -> restores.activeOf(domain)).flatMap(restore -> {
                if (restore != null) {
                    return Uni.createFrom().item(Optional.of(restore.mode.toLowerCase(java.util.Locale.ROOT) + " "
                            + restore.restoreId + " of '" + domain + "' is active"));
                }
                return runs.running(domain).map(running -> running
                        ? Optional.of("another retention run of '" + domain + "' is running") : Optional.empty());
            });
        });
    }

    /** Refuses a restore or verify while retention changes the domain's files. */
    public Uni<Void> requireNoRetentionRunning(String domain) {
        return runs.running(domain).invoke(running -> {
            if (running) {
                throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: "
                        + "a retention run of '" + domain + "' is changing its backup files; try again when it ends");
            }
        }).replaceWithVoid();
    }
}
