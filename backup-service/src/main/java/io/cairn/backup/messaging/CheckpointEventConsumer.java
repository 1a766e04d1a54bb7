package io.cairn.backup.messaging;

import io.cairn.backup.service.lineage.LineageView;
import io.cairn.core.config.CommandsConfig;
import io.cairn.core.failure.Failures;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.event.LineageRetiredEvent;
import io.cairn.events.json.CairnJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows cairn.checkpoint.events (one group per deployment, committed offsets) into the {@link LineageView}, so
 * backup.begin knows the lineage's checkpoint names. One domain's events are in order (keyed by domain); a database
 * outage is waited out with the commands' bounded backoff, an unreadable record is skipped.
 */
@ApplicationScoped
public class CheckpointEventConsumer {
    private static final Logger LOG = Logger.getLogger(CheckpointEventConsumer.class);

    @Inject
    LineageView lineage;

    @Inject
    CommandsConfig retries;

    @Incoming("checkpoint-events")
    public Uni<Void> consume(String value) {
        CairnEvent event;
        try {
            event = CairnJson.mapper().readValue(value, CairnEvent.class);
        } catch (Exception unreadable) {
            LOG.warnf("skipping an unreadable record on the checkpoint events topic: %s", unreadable.getMessage());
            return Uni.createFrom().voidItem();
        }
        Uni<Void> change;
        if (event instanceof CheckpointCreatedEvent created && created.checkpoint() != null
                && created.checkpoint().name() != null) {
            change = Uni.createFrom().deferred(() -> lineage.created(created.domain(), created.checkpoint().name(),
                    created.eventId()));
        } else if (event instanceof CheckpointDeletedEvent deleted) {
            change = Uni.createFrom().deferred(() -> lineage.deleted(deleted.domain(), deleted.checkpoints()));
        } else if (event instanceof LineageRetiredEvent retired) {
            // A VM re-created under the name: its old lineage's names are free for the new one.
            change = Uni.createFrom().deferred(() -> lineage.deleted(retired.domain(), retired.checkpoints()));
        } else {
            return Uni.createFrom().voidItem();
        }
        return change.onFailure(Failures::isTransient).retry().withBackOff(retries.retryFirst(), retries.retryMax())
                .expireIn(retries.retryDeadline().toMillis())
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf(failure, "%s of %s not applied to the lineage view", event.type(), event.domain());
                    return null;
                });
    }
}
