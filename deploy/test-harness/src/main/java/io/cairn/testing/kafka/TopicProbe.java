package io.cairn.testing.kafka;

import io.cairn.testing.stack.KafkaAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lets a test talk to the real broker like a user's service would: publish a keyed record, and watch a topic for
 * the records it cares about. The broker keeps old records between runs, so tests always match on their own ids.
 */
public final class TopicProbe implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private TopicProbe(String bootstrap, List<String> watchedTopics) {
        Properties p = new Properties();
        p.putAll(KafkaAccess.admin(bootstrap));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Every send is waited for: lingering for a batch (Kafka 4's 5 ms default) would only delay each one.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.putAll(KafkaAccess.admin(bootstrap));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        // Only what happens after the probe starts: old runs' records stay out of the test's view.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        consumer.subscribe(watchedTopics);
        awaitAssignment();
    }

    /** Starts watching {@code topics} from their current end. */
    public static TopicProbe watching(String bootstrap, String... topics) {
        return new TopicProbe(bootstrap, List.of(topics));
    }

    public void send(String topic, String key, String value) {
        send(topic, key, value, Map.of());
    }

    /** Publishes with headers, e.g. the W3C {@code traceparent} a traced user's service sends. */
    public void send(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, text) -> record.headers().add(name,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** The first record (already seen or arriving within {@code timeout}) that matches. */
    public Optional<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> match,
            Duration timeout) {
        List<ConsumerRecord<String, String>> found = awaitCount(match, 1, timeout);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Up to {@code count} matching records, waiting at most {@code timeout} for them. */
    public List<ConsumerRecord<String, String>> awaitCount(Predicate<ConsumerRecord<String, String>> match, int count,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<String, String>> matching = seen.stream().filter(match).toList();
            if (matching.size() >= count || System.nanoTime() > deadline) {
                return matching.size() > count ? matching.subList(0, count) : matching;
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Every record seen so far that matches (no waiting). */
    public List<ConsumerRecord<String, String>> seen(Predicate<ConsumerRecord<String, String>> match) {
        consumer.poll(Duration.ZERO).forEach(seen::add);
        return seen.stream().filter(match).toList();
    }

    /**
     * Every record of {@code topic} from its very beginning to its current end that matches: "exactly once on the
     * topic" checks read this, independent of any consumer group's position.
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, String>> match) {
        Properties c = new Properties();
        c.putAll(KafkaAccess.admin(bootstrap));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(c)) {
            List<org.apache.kafka.common.TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = reader.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                reader.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (match.test(r)) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }

    private void awaitAssignment() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the probe got no partitions within 30 s");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        // Pin the start position now, so records sent right after this constructor are never skipped.
        consumer.assignment().forEach(tp -> consumer.position(tp));
        consumer.commitSync(Map.of());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
