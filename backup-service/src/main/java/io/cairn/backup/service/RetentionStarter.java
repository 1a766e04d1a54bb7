package io.cairn.backup.service;

import io.cairn.backup.service.retention.PlannedMerge;
import io.cairn.backup.service.retention.RetentionPlan;
import io.cairn.backup.service.retention.RetentionPlanner;
import io.cairn.backup.service.retention.RetentionPolicy;
import io.cairn.backup.service.retention.RetentionRun;
import io.cairn.backup.service.retention.RetentionRunState;
import io.cairn.backup.service.retention.RetentionRunStore;
import io.cairn.backup.service.retention.RetentionWork;
import io.cairn.core.agent.AgentGateway;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.events.agent.ApplyRetentionRequest;
import io.cairn.events.agent.ArtifactDeleteOrder;
import io.cairn.events.agent.ArtifactMergeOrder;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Starts a pending retention run: plans it from the catalog as it is now (a plan made earlier could name files
 * changed since), fixes the plan in the run, and hands it to the agent of the host holding the files. A run with
 * nothing to change ends at once; a refusal, a plan that cannot be made, or no answer ends it failed. Each end records
 * the run's one outcome in the same transaction.
 */
@ApplicationScoped
public class RetentionStarter {
    private static final Logger LOG = Logger.getLogger(RetentionStarter.class);
    /** The partial unique index that lets one run per domain be RUNNING (V205). */
    static final String ONE_RUNNING = "retention_run_one_running";

    @Inject
    RetentionRunStore store;

    @Inject
    RetentionPolicies policies;

    @Inject
    ArtifactCatalog catalog;

    @Inject
    AgentGateway agents;

    @Inject
    RetentionCompletions completions;

    @Inject
    OutboxRelay relay;

    @Inject
    Clock clock;

    /** Plans and starts the run if it is still pending (another replica may have started it). */
    public Uni<Void> start(RetentionRun pending) {
        return policies.find(pending.domain()).flatMap(policy -> catalog.artifacts(pending.domain())
                        .map(artifacts -> plan(pending, policy, artifacts)))
                .flatMap(planned -> fix(pending, planned))
                // Another run of the domain became RUNNING first (the one-running-run index): wait for the next tick.
                .onFailure(failure -> io.cairn.core.failure.Failures.violates(failure, ONE_RUNNING))
                .recoverWithNull().replaceWithVoid()
                // Anything else that is not an outage ends the run with its outcome, so it is never stuck pending.
                .onFailure(failure -> !io.cairn.core.failure.Failures.isTransient(failure))
                .recoverWithUni(failure -> fail(pending.runId(), failure instanceof CairnException cairn
                        ? cairn.toErrorInfo() : ErrorInfo.of(VirErrorCode.VIR_ERR_INTERNAL_ERROR,
                                "internal error: retention run " + pending.runId() + " could not start: " + failure)))
                .invoke(relay::kick);
    }

    private record Planned(RetentionWork work, String hostId) {
    }

    private Planned plan(RetentionRun run, Optional<RetentionPolicy> policy,
            java.util.List<io.cairn.backup.service.catalog.Artifact> artifacts) {
        if (policy.isEmpty()) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: "
                    + "domain '" + run.domain() + "' has no retention policy");
        }
        RetentionPlan plan = RetentionPlanner.plan(policy.get(), artifacts, clock.instant());
        Set<String> hosts = RetentionWork.hostsOf(plan);
        if (hosts.size() > 1) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "Operation not supported: the "
                    + "backup files retention would change for '" + run.domain() + "' are on hosts " + hosts);
        }
        return new Planned(RetentionWork.of(plan), hosts.isEmpty() ? null : hosts.iterator().next());
    }

    private Uni<Void> fix(RetentionRun pending, Planned planned) {
        Instant now = clock.instant();
        return store.update(pending.runId(), run -> run.state() == RetentionRunState.PENDING
                        ? run.plan(planned.work(), planned.hostId(), now) : null,
                change -> Boolean.TRUE.equals(change.result()) ? completions.record(change.run(), now)
                        : Uni.createFrom().voidItem())
                .flatMap(change -> Boolean.FALSE.equals(change.result()) ? hand(change.run())
                        : Uni.createFrom().voidItem());
    }

    /** Asks the agent; the run's reports do the rest. */
    private Uni<Void> hand(RetentionRun run) {
        RetentionWork work = run.work().orElseThrow();
        ApplyRetentionRequest request = new ApplyRetentionRequest(run.runId() + "/apply", run.hostId(), run.domain(),
                run.runId(), work.merges().stream().map(RetentionStarter::order).toList(),
                work.deletions().stream().map(gone -> new ArtifactDeleteOrder(gone.disk(), gone.path())).toList());
        LOG.infof("retention run %s of %s: %d merge(s), %d deletion(s) on host %s", run.runId(), run.domain(),
                request.merges().size(), request.deletions().size(), run.hostId());
        return agents.call(request)
                .map(result -> result.success() ? null : result.error())
                .onFailure().recoverWithItem(failure -> failure instanceof CairnException cairn ? cairn.toErrorInfo()
                        : ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: " + failure))
                .flatMap(refusal -> refusal == null ? Uni.createFrom().voidItem() : fail(run.runId(), refusal));
    }

    private static ArtifactMergeOrder order(PlannedMerge step) {
        return new ArtifactMergeOrder(step.disk(), step.path(), step.expiredPath(), step.basePaths());
    }

    /**
     * Ends a run whose agent went silent: as {@link #fail}, and the checksum of the artifact it may have been
     * rewriting is forgotten in the same transaction.
     */
    Uni<Void> failSilent(String runId, ErrorInfo why) {
        Instant now = clock.instant();
        return store.update(runId, run -> run.fail(why, now), change -> change.result()
                        ? change.run().artifactInDoubt().map(catalog::forgetChecksum).orElse(Uni.createFrom()
                                .voidItem()).chain(() -> completions.record(change.run(), now))
                        : Uni.createFrom().voidItem())
                .invoke(relay::kick).replaceWithVoid();
    }

    /** Ends the run failed (if it has not ended) with its outcome. */
    Uni<Void> fail(String runId, ErrorInfo why) {
        Instant now = clock.instant();
        return store.update(runId, run -> run.fail(why, now), change -> change.result()
                        ? completions.record(change.run(), now) : Uni.createFrom().voidItem())
                .invoke(relay::kick).replaceWithVoid();
    }
}
