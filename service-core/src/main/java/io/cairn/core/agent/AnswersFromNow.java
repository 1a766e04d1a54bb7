package io.cairn.core.agent;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Starts the answers consumer at the first record written after this process started (older answers are nobody's
 * now, and nothing this process asked can be answered before it started), while a host topic it finds later, by its
 * pattern subscription, is read from its beginning (auto.offset.reset=earliest): the topic is new, and its first
 * answer may have been written before this consumer saw it. The group is this process's alone and commits
 * automatically (also before each rebalance), so partitions it already read resume where they were.
 */
@ApplicationScoped
@Identifier("answers-from-now")
public class AnswersFromNow implements KafkaConsumerRebalanceListener {
    private final long startedAt = System.currentTimeMillis();
    private final AtomicBoolean first = new AtomicBoolean(true);

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!first.compareAndSet(true, false) || partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> since = new HashMap<>();
        partitions.forEach(partition -> since.put(partition, startedAt));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = found.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
            // Resolved now, so the first auto-commit records it.
            consumer.position(partition);
        }
    }
}
