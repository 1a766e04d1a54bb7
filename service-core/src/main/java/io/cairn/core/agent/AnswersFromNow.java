package io.cairn.core.agent;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Starts the answers consumer at the newest record of every host topic it finds at start (old answers are nobody's
 * now), while a host topic it finds later, by its pattern subscription, is read from the beginning: that topic is
 * new, and its first answer may have been written before this consumer saw the topic. The group is this process's
 * alone and commits automatically (also before each rebalance), so partitions it already read resume where they were.
 */
@ApplicationScoped
@Identifier("answers-from-now")
public class AnswersFromNow implements KafkaConsumerRebalanceListener {
    private final AtomicBoolean first = new AtomicBoolean(true);

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (first.compareAndSet(true, false)) {
            consumer.seekToEnd(partitions);
            // Resolve the positions now, so the first auto-commit records them.
            partitions.forEach(consumer::position);
        }
    }
}
