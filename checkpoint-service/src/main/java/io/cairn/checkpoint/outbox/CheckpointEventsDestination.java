package io.cairn.checkpoint.outbox;

import io.cairn.events.cloudevents.CloudEventHeaders;
import io.cairn.core.outbox.OutboxDestination;
import io.cairn.events.topic.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Tells the shared outbox (service-core) where checkpoint-service's events go: the lineage's topic and channel. */
@ApplicationScoped
public class CheckpointEventsDestination {
    /** "CAIRNOUT". */
    private static final long ADVISORY_LOCK_KEY = 0x43414952_4E4F5554L;

    @Inject
    @Channel("checkpoint-events")
    MutinyEmitter<String> events;

    @Produces
    @Singleton
    OutboxDestination destination() {
        return new OutboxDestination(Topics.CHECKPOINT_EVENTS, CloudEventHeaders.CHECKPOINT_SERVICE_SOURCE,
                ADVISORY_LOCK_KEY, events);
    }
}
