package io.cairn.backup.console;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * When the console's feed consumers really read: a consumer group of its own starting from the newest record misses
 * every event written before its partitions are assigned and their positions resolved. The feed's streams say
 * "ready" only after that, so a page that shows itself live has not missed what comes next.
 */
@ApplicationScoped
@Identifier("console-feed-assignments")
public class FeedAssignments implements KafkaConsumerRebalanceListener {
    private final Set<String> assignedTopics = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> bothAssigned = new CompletableFuture<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            consumer.position(partition); // resolved now (the newest offset), not at the next fetch
            assignedTopics.add(partition.topic());
        }
        if (assignedTopics.containsAll(ConsoleFeed.TOPICS)) {
            bothAssigned.complete(null);
        }
    }

    /** Completes once every topic of the feed is being read from a resolved position. */
    public CompletableFuture<Void> assigned() {
        return bothAssigned;
    }
}
