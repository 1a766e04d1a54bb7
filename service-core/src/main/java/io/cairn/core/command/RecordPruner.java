package io.cairn.core.command;

import io.cairn.core.config.CommandsConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Keeps processed_command and outbox_event from growing forever: answered commands older than the retention and
 * published events older than theirs are deleted. Claims without an outcome and unpublished or parked events stay.
 */
@ApplicationScoped
public class RecordPruner {
    private static final Logger LOG = Logger.getLogger(RecordPruner.class);

    @Inject
    CommandsConfig config;

    private volatile boolean stopping;

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${cairn.commands.prune-interval:1h}", delayed = "${cairn.commands.prune-first-delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return pruneNow().onFailure().recoverWithItem(failure -> {
            LOG.warnf("pruning answered commands and published events failed: %s", failure.getMessage());
            return null;
        }).replaceWithVoid();
    }

    /** Deletes what is past retention now; answers how many commands and events went. */
    public Uni<long[]> pruneNow() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("delete from processed_command where outcome is not null and processed_at < :before")
                .setParameter("before", now.minus(config.retention())).executeUpdate()
                .flatMap(commands -> session
                        .createNativeQuery("delete from outbox_event where published_at < :before")
                        .setParameter("before", now.minus(config.publishedEventRetention())).executeUpdate()
                        .map(events -> new long[] {commands, events}))))
                .invoke(counts -> {
                    if (counts[0] + counts[1] > 0) {
                        LOG.infof("pruned %d answered commands and %d published events", counts[0], counts[1]);
                    }
                });
    }
}
