package io.cairn.checkpoint.messaging;

import io.cairn.checkpoint.service.BackupCheckpoints;
import io.cairn.core.config.CommandsConfig;
import io.cairn.core.failure.FailureClass;
import io.cairn.core.failure.Failures;
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
 * started. With the core's one failure policy: an unreadable record is poison (skipped, logged), the lineage's
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
        if (!(event instanceof BackupStartedEvent started) || started.checkpoint() == null) {
            return Uni.createFrom().voidItem();
        }
        return checkpoints.record(started)
                // The lineage refusing it (libvirt's error) will not change by retrying: say so and move on.
                .onFailure(failure -> Failures.classify(failure) == FailureClass.PERMANENT).recoverWithUni(refused -> {
                    LOG.errorf("checkpoint %s of backup %s of %s refused by the lineage: %s",
                            started.checkpoint().name(), started.jobId(), started.domain(), refused.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure().invoke(failure -> LOG.warnf("recording checkpoint %s of backup %s failed, retrying: %s",
                        started.checkpoint().name(), started.jobId(), failure.getMessage()))
                .onFailure().retry().withBackOff(retries.retryFirst(), retries.retryMax())
                .expireIn(retries.retryDeadline().toMillis())
                .onFailure().invoke(failure -> LOG.errorf(failure, "checkpoint %s of backup %s of %s is NOT in the "
                        + "lineage; redefine it by hand", started.checkpoint().name(), started.jobId(),
                        started.domain()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
