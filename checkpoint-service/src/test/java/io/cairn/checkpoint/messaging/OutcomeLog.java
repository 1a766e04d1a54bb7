package io.cairn.checkpoint.messaging;

import io.cairn.testing.stack.KafkaAccess;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every outcome event on a private broker's cairn.checkpoint.events, read from the very beginning (no consumer group),
 * grouped by commandId: what a user's service would have received, duplicates included.
 */
final class OutcomeLog implements AutoCloseable {
    /** One event record as it reached the topic; {@code timestamp} is when the service's relay produced it. */
    record Outcome(String eventId, String type, long timestamp, String value) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<Outcome>> byCommand = new HashMap<>();
    private int records;

    OutcomeLog(String bootstrap) {
        Properties c = new Properties();
        c.putAll(KafkaAccess.admin(bootstrap));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHECKPOINT_EVENTS).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads until {@code done} holds or {@code timeout} passes; returns whether it held. */
    boolean readUntil(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            poll();
        }
        return true;
    }

    /** Keeps reading for {@code quiet}, so a late duplicate would still be counted. */
    void readFor(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            poll();
        }
    }

    boolean allAnswered(Set<String> commandIds) {
        return byCommand.keySet().containsAll(commandIds);
    }

    List<Outcome> of(String commandId) {
        return byCommand.getOrDefault(commandId, List.of());
    }

    int records() {
        return records;
    }

    private void poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            records++;
            try {
                CairnEvent event = CairnJson.mapper().readValue(record.value(), CairnEvent.class);
                byCommand.computeIfAbsent(event.commandId(), id -> new ArrayList<>())
                        .add(new Outcome(event.eventId(), event.type(), record.timestamp(), record.value()));
            } catch (java.io.IOException e) {
                throw new AssertionError("an unreadable event on " + Topics.CHECKPOINT_EVENTS + ": " + record.value(),
                        e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
