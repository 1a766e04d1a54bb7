package io.cairn.backup.service;

import io.cairn.backup.service.restore.EndOutcome;
import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.core.agent.AgentGateway;
import io.cairn.core.failure.VirErrors;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.EndRestoreRequest;
import io.cairn.events.command.RestoreEndCommand;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * What restore.end does, as backup.abort does for a job: records that the restore is to end and asks its agent to
 * stop the export or abort the copy; the restore-completed, recorded when the agent reports the end, answers the
 * command. Also ends
 * exports whose time-to-live is over (the sweeper's), and asks again when an asked agent has not stopped one.
 */
@ApplicationScoped
public class RestoreEnds {
    private static final Logger LOG = Logger.getLogger(RestoreEnds.class);

    @Inject
    RestoreJobStore store;

    @Inject
    AgentGateway agents;

    @Inject
    Clock clock;

    /** Null when accepted (the export's restore-completed will answer); fails with the refusal otherwise. */
    public Uni<CairnEvent> end(RestoreEndCommand command) {
        command.validate();
        Instant now = clock.instant();
        return store.update(command.restoreId(), job -> {
            if (!job.domain().equals(command.domain())) {
                // Another domain's restore does not exist for this domain's command.
                throw RestoreJobStore.noRestore(command.restoreId());
            }
            return job.requestEnd(command.commandId(), now);
        }, change -> Uni.createFrom().voidItem()).flatMap(change -> switch (change.result()) {
            case SEND_TO_AGENT -> agents.call(request(change.job(), command.commandId() + "/end"))
                    .invoke(RestoreEnds::acceptedOrGone)
                    .replaceWith((CairnEvent) null);
            case PENDING_END_ANSWERS_THIS -> Uni.createFrom().item((CairnEvent) null);
            case ALREADY_REQUESTED -> invalid(change.job(), "an end of it was already requested; its "
                    + "restore-completed answers that restore.end");
            case NOT_ABORTABLE -> invalid(change.job(), "a " + change.job().mode().wire() + " only reads; it ends "
                    + "on its own");
            case NOT_SERVING_YET -> invalid(change.job(), "it does not serve yet (" + change.job().state()
                    + "); end it once its restore-exported is published");
            case ALREADY_ENDED -> invalid(change.job(), "it has ended (" + change.job().state() + ")");
        });
    }

    /** The sweeper's: an export past its ttl is asked to end; its restore-completed is published on its own. */
    public Uni<Boolean> endIfExpired(String restoreId) {
        Instant now = clock.instant();
        return store.update(restoreId, job -> job.isExpired(now) && job.requestEnd(null, now)
                == EndOutcome.SEND_TO_AGENT, change -> Uni.createFrom().voidItem())
                .flatMap(change -> {
                    if (!change.result()) {
                        return Uni.createFrom().item(false);
                    }
                    LOG.infof("export restore %s of %s: its ttl is over; ending it", restoreId, change.job().domain());
                    return tell(change.job(), restoreId + "/expired").replaceWith(true);
                });
    }

    /**
     * An export asked to end that still serves after {@code patience} (the agent missed the request, or was away):
     * asked again, under a new request id (the agent answers a request id once).
     */
    public Uni<Boolean> askAgainIfOverdue(String restoreId, java.time.Duration patience) {
        Instant now = clock.instant();
        return store.update(restoreId, job -> {
            if (!job.endOverdue(now, patience)) {
                return false;
            }
            job.endAskedAgain(now);
            return true;
        }, change -> Uni.createFrom().voidItem()).flatMap(change -> !change.result() ? Uni.createFrom().item(false)
                : tell(change.job(), restoreId + "/end-again-" + now.toEpochMilli()).replaceWith(true));
    }

    /** Fire and forget: a stop that must happen whether or not anybody waits (a failed export included). */
    public Uni<Void> tell(RestoreJob job, String requestId) {
        return agents.send(request(job, requestId)).onFailure().recoverWithItem(failure -> {
            LOG.warnf("end of export restore %s not sent to host %s: %s (asked again later)", job.restoreId(),
                    job.hostId(), failure.getMessage());
            return null;
        });
    }

    private static EndRestoreRequest request(RestoreJob job, String requestId) {
        return new EndRestoreRequest(requestId, job.hostId(), job.domain(), job.restoreId(), job.mode());
    }

    /** The agent stopped it (or knows nothing of it, and reports it ended): its report ends the restore. */
    private static void acceptedOrGone(AgentResult result) {
        if (!result.success()) {
            throw VirErrors.refusal(result);
        }
    }

    private static Uni<CairnEvent> invalid(RestoreJob job, String why) {
        return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID,
                "Requested operation is not valid: restore " + job.restoreId() + " of '" + job.domain() + "' cannot "
                        + "be ended: " + why));
    }
}
