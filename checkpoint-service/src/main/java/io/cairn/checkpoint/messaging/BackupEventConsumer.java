package io.cairn.checkpoint.messaging;

import io.cairn.checkpoint.service.BackupCheckpoints;
import io.cairn.events.error.CairnException;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows cairn.backup.events so a checkpoint created together with a backup enters the lineage once the backup
 * started. Other events and unreadable records are skipped; a database outage is waited out (retries with backoff),
 * so the checkpoint is not lost while the domain's later events wait behind it.
 */
@ApplicationScoped
public class BackupEventConsumer {
    private static final Logger LOG = Logger.getLogger(BackupEventConsumer.class);

    @Inject
    BackupCheckpoints checkpoints;

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
                .onFailure(CairnException.class).recoverWithUni(refused -> {
                    LOG.errorf("checkpoint %s of backup %s of %s refused by the lineage: %s",
                            started.checkpoint().name(), started.jobId(), started.domain(), refused.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure().invoke(failure -> LOG.warnf("recording checkpoint %s of backup %s failed, retrying: %s",
                        started.checkpoint().name(), started.jobId(), failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).atMost(40)
                .onFailure().invoke(failure -> LOG.errorf(failure, "checkpoint %s of backup %s of %s is NOT in the "
                        + "lineage; redefine it by hand", started.checkpoint().name(), started.jobId(),
                        started.domain()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
