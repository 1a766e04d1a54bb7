package io.cairn.backup.service;

import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.backup.service.retention.RetentionRunStore;
import io.cairn.backup.service.catalog.CompletedArtifacts;
import io.cairn.backup.service.job.BackupJob;
import io.cairn.events.command.RetentionApplyCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * What retention.apply does, and the run a completed push backup asks for: a run is stored, then started (planned
 * from the catalog and handed to the agent); its one outcome is its retention-applied. A user's apply is refused up
 * front when the domain has no policy or its files are busy; the run after a backup waits until they are not.
 */
@ApplicationScoped
public class RetentionCommands {
    /** The commandId prefix of the run after a push backup (followed by the job's id). */
    public static final String AFTER_BACKUP = "retention-after-";

    @Inject
    RetentionRunStore store;

    @Inject
    RetentionPolicies policies;

    @Inject
    DomainActivity activity;

    @Inject
    RetentionStarter starter;

    @Inject
    Clock clock;

    /** An apply whose run exists is accepted (its outcome comes from the run). */
    public Uni<Boolean> accepted(String commandId) {
        return store.findByCommand(commandId).map(java.util.Optional::isPresent);
    }

    public Uni<CairnEvent> apply(RetentionApplyCommand command) {
        command.validate();
        return store.findByCommand(command.commandId()).flatMap(existing -> existing.isPresent()
                ? Uni.createFrom().voidItem()
                : policies.find(command.domain()).flatMap(policy -> {
                    if (policy.isEmpty()) {
                        throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is "
                                + "not valid: domain '" + command.domain() + "' has no retention policy (set one "
                                + "with PUT /api/v1/domains/" + command.domain() + "/retention)");
                    }
                    return activity.whyRetentionMustWait(command.domain());
                }).flatMap(busy -> {
                    if (busy.isPresent()) {
                        throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                                "Requested operation is not valid: " + busy.get());
                    }
                    return store.create(RetentionRun.pending(UUID.randomUUID().toString(), command.commandId(),
                            command.domain(), clock.instant()));
                }).flatMap(run -> run.state() == io.cairn.backup.service.retention.RetentionRunState.PENDING
                        ? starter.start(run) : Uni.createFrom().voidItem()))
                .replaceWith((CairnEvent) null);
    }

    /**
     * Asks for a run after a completed push backup of a domain with a policy; call inside the transaction that
     * records the job's completion, so the run is asked for exactly when the new artifacts exist.
     */
    public Uni<Void> requestAfter(BackupJob job, Instant now) {
        if (CompletedArtifacts.of(job).isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return policies.findInSession(job.domain()).flatMap(policy -> policy.isEmpty()
                ? Uni.createFrom().voidItem()
                : store.createInTransaction(RetentionRun.pending(UUID.randomUUID().toString(),
                        AFTER_BACKUP + job.jobId(), job.domain(), now)).replaceWithVoid());
    }
}
