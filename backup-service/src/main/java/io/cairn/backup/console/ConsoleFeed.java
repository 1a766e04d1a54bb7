package io.cairn.backup.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.core.security.DomainScope;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The console's live feed: every replica reads Cairn's own event topics (backup jobs, and checkpoint changes for the
 * lineage pages) in a consumer group of its own from the newest record, and hands each event to the browsers
 * connected to it, each seeing only the domains in its caller's scope. Nothing is stored: a page loads its state over
 * REST and then follows the feed.
 */
@ApplicationScoped
public class ConsoleFeed {
    private static final Logger LOG = Logger.getLogger(ConsoleFeed.class);

    /** The topics the feed reads (the channels console-backup-events and console-checkpoint-events). */
    static final Set<String> TOPICS = Set.of(Topics.BACKUP_EVENTS, Topics.CHECKPOINT_EVENTS);

    private final BroadcastProcessor<FeedEvent> events = BroadcastProcessor.create();

    @Inject
    @Identifier("console-feed-assignments")
    FeedAssignments assignments;

    @Incoming("console-backup-events")
    public void backupEvent(String json) {
        publish(json);
    }

    @Incoming("console-checkpoint-events")
    public void checkpointEvent(String json) {
        publish(json);
    }

    /** Passes one published event on to the subscribers; an unreadable one is skipped (the console only shows). */
    void publish(String json) {
        FeedEvent event = read(json);
        if (event != null) {
            events.onNext(event);
        }
    }

    /** Completes when the feed reads every topic it follows (at once after the first time). */
    public Uni<Void> live() {
        return Uni.createFrom().completionStage(assignments.assigned());
    }

    /** The events of the domains {@code scope} includes, from now on; a slow subscriber loses events, not others. */
    public Multi<FeedEvent> follow(DomainScope scope) {
        return events.filter(event -> scope.includes(event.domain())).onOverflow().drop();
    }

    static FeedEvent read(String json) {
        try {
            JsonNode node = CairnJson.mapper().readTree(json);
            String type = node.path("type").asText(null);
            String domain = node.path("domain").asText(null);
            if (type == null || domain == null) {
                return null;
            }
            return new FeedEvent(type, domain, json);
        } catch (Exception e) {
            LOG.debugf("console feed: skipping an unreadable event: %s", e.getMessage());
            return null;
        }
    }
}
