package io.cairn.backup.messaging;

import io.cairn.events.cloudevents.CloudEventHeaders;
import io.cairn.core.outbox.OutboxDestination;
import io.cairn.events.topic.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Tells the shared outbox (service-core) where backup-service's events go: the jobs' topic and channel. */
@ApplicationScoped
public class BackupEventsDestination {
    /** "CAIRNBCK": a key of its own, in case services ever share a database. */
    private static final long ADVISORY_LOCK_KEY = 0x43414952_4E42434BL;

    @Inject
    @Channel("backup-events")
    MutinyEmitter<String> events;

    @Produces
    @Singleton
    OutboxDestination destination() {
        return new OutboxDestination(Topics.BACKUP_EVENTS, CloudEventHeaders.BACKUP_SERVICE_SOURCE, ADVISORY_LOCK_KEY,
                events);
    }
}
