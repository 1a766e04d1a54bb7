package io.cairn.checkpoint.messaging;

import io.cairn.checkpoint.service.BackupCheckpoints;
import io.cairn.core.config.CommandsConfig;
import io.cairn.core.failure.FailureClass;
import io.cairn.core.failure.Failures;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows cairn.backup.events so a checkpoint created together with a backup enters the lineage once the backup
 * started, and leaves it again if the backup does not succeed. With the core's one failure policy: an unreadable record is poison (skipped, logged), the lineage's
 * refusal is permanent (logged, never retried), a database outage is transient (retried with the commands' bounded
 * backoff until their deadline), so the checkpoint is not lost while the domain's later events wait behind it.
 */
@ApplicationScoped
public class BackupEventConsumer {
    private static final Logger LOG = Logger.getLogger(BackupEventConsumer.class);

    @Inject
    BackupCheckpoints checkpoints;

    @Inject
    CommandsConfig retries;

    @Incoming("backup-events")
    public Uni<Void> consume(String value) {
        CairnEvent event;
        try {
            event = CairnJson.mapper().readValue(value, CairnEvent.class);
        } catch (Exception unreadable) {
            LOG.warnf("skipping an unreadable record on the backup events topic: %s", unreadable.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (event instanceof BackupStartedEvent started && started.checkpoint() != null) {
            return withPolicy(checkpoints.record(started), "checkpoint " + started.checkpoint().name() + " of backup "
                    + started.jobId() + " of " + started.domain(), "is NOT in the lineage; redefine it by hand");
        }
        if (event instanceof BackupCompletedEvent completed && !completed.success()) {
            return withPolicy(checkpoints.forgetIfFailed(completed), "the checkpoint of failed backup "
                    + completed.jobId() + " of " + completed.domain(), "is still in the lineage; delete it by hand");
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * The core's failure policy for one event: the lineage's refusal (libvirt's error) is permanent and logged, an
     * outage is retried with bounded backoff; a failure that outlasts the deadline is logged with what to do.
     */
    private Uni<Void> withPolicy(Uni<Void> work, String what, String ifLost) {
        return work
                .onFailure(failure -> Failures.classify(failure) == FailureClass.PERMANENT).recoverWithUni(refused -> {
                    LOG.errorf("%s refused by the lineage: %s", what, refused.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure().invoke(failure -> LOG.warnf("%s: %s; retrying", what, failure.getMessage()))
                .onFailure().retry().withBackOff(retries.retryFirst(), retries.retryMax())
                .expireIn(retries.retryDeadline().toMillis())
                .onFailure().invoke(failure -> LOG.errorf(failure, "%s %s", what, ifLost))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
