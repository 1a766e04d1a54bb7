package io.cairn.backup.service;

import io.cairn.backup.service.restore.RestoreJob;
import io.cairn.backup.service.restore.RestoreJobStore;
import io.cairn.backup.service.restore.RestoreState;
import io.cairn.core.agent.AgentGateway;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.events.agent.StartRestoreRequest;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.model.RestoreMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Asks the agent of a stored restore (or verify) to run it, for the first time or again for a redelivered command
 * whose restore was stored but never accepted (the agent answers a request id once). A refusal, or no answer, ends it
 * failed and records its one outcome with the failure.
 */
@ApplicationScoped
public class RestoreStarter {
    private static final Logger LOG = Logger.getLogger(RestoreStarter.class);

    @Inject
    RestoreJobStore store;

    @Inject
    AgentGateway agents;

    @Inject
    RestoreCompletions completions;

    @Inject
    OutboxRelay relay;

    @Inject
    RestoreEnds ends;

    @Inject
    Clock clock;

    /** Starts it while it is STARTING; anything further along is its agent's already. Answers null (outcome later). */
    public Uni<CairnEvent> startIfNew(RestoreJob job) {
        if (job.state() != RestoreState.STARTING) {
            return Uni.createFrom().nullItem();
        }
        StartRestoreRequest request = new StartRestoreRequest(job.restoreId() + "/start", job.hostId(), job.domain(),
                job.restoreId(), job.mode(), job.plan());
        return agents.call(request)
                .map(result -> result.success() ? StartAnswer.ACCEPTED : new StartAnswer(result.error(), false))
                .onFailure().recoverWithItem(failure -> new StartAnswer(failure instanceof CairnException cairn
                        ? cairn.toErrorInfo()
                        : ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: " + failure), true))
                .flatMap(answer -> answer.refusal() == null ? accept(job)
                        : refuse(job, answer.refusal()).call(() -> answer.unanswered() ? abortUnanswered(job)
                                : Uni.createFrom().voidItem()));
    }

    /** The agent's answer to a start: accepted, refused by it, or no answer at all ({@code unanswered}). */
    private record StartAnswer(ErrorInfo refusal, boolean unanswered) {
        static final StartAnswer ACCEPTED = new StartAnswer(null, false);
    }

    /**
     * No answer (the gateway's timeout, the broker away): the agent may have started the copy all the same, and
     * would write an image nobody records. It is told to abort it; one it never started is answered as not running.
     */
    private Uni<Void> abortUnanswered(RestoreJob job) {
        return job.mode() == RestoreMode.COPY || job.mode() == RestoreMode.THIN
                ? ends.tell(job, job.restoreId() + "/unanswered") : Uni.createFrom().voidItem();
    }

    private Uni<CairnEvent> accept(RestoreJob job) {
        return store.update(job.restoreId(), restore -> restore.accepted(clock.instant()),
                change -> Uni.createFrom().voidItem()).replaceWith((CairnEvent) null);
    }

    private Uni<CairnEvent> refuse(RestoreJob job, ErrorInfo refusal) {
        Instant now = clock.instant();
        LOG.infof("%s %s of %s refused by host %s: %s", job.mode().wire(), job.restoreId(), job.domain(),
                job.hostId(), refusal.message());
        return store.update(job.restoreId(), restore -> restore.fail(refusal, now),
                        change -> change.result() ? completions.record(change.job(), now) : Uni.createFrom().voidItem())
                .invoke(relay::kick)
                .replaceWith((CairnEvent) null);
    }
}
