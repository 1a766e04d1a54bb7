package io.cairn.agent.messaging;

import io.cairn.agent.domain.HostInventoryBuilder;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Publishes this host's inventory on start, after every change the agent makes, and periodically, so the services
 * know where each domain runs and which bitmaps really exist (drift shows up within one period).
 */
@ApplicationScoped
public class InventoryPublisher {
    private static final Logger LOG = Logger.getLogger(InventoryPublisher.class);

    @Inject
    HostInventoryBuilder builder;

    @Inject
    AgentResultPublisher publisher;

    void onStart(@Observes StartupEvent event) {
        publishNow().subscribe().with(ignored -> { }, failure -> LOG.warnf("first inventory not published: %s",
                failure.getMessage()));
    }

    @Scheduled(every = "${cairn.messaging.inventory-interval}", delayed = "${cairn.messaging.inventory-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> periodically() {
        return publishNow().onFailure().recoverWithUni(failure -> {
            LOG.warnf("inventory not published: %s", failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Publishes now, outside any trace (a start, a socket that came or went, the period). */
    public Uni<Void> publishNow() {
        return publishNow(Context.root());
    }

    /** Publishes now, in the trace of {@code trace}: the request or job whose change the inventory shows. */
    public Uni<Void> publishNow(Context trace) {
        return builder.build().flatMap(inventory -> publisher.publish(inventory, trace));
    }
}
