package io.cairn.soak;

import io.cairn.testing.stack.KafkaAccess;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every event on Cairn's public event topics of the private broker, from the beginning (no consumer group: a passing
 * observer, as the tour is), kept in order and indexed by commandId and jobId so the actors can wait for their
 * outcomes. Broker restarts are the client's business: it reconnects and goes on from its position.
 */
final class EventLog implements AutoCloseable {
    /** One event as received: its topic, partition, offset and JSON, and when the soak saw it. */
    record Seen(String topic, int partition, long offset, long atMillis, JsonNode event) {
        String type() {
            return event.path("type").asText();
        }

        String commandId() {
            return event.path("commandId").asText(null);
        }

        String jobId() {
            return event.path("jobId").asText(null);
        }

        String eventId() {
            return event.path("eventId").asText();
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Seen> events = new ArrayList<>();
    private final Map<String, List<Seen>> byCommand = new HashMap<>();
    private final Map<String, List<Seen>> byJob = new HashMap<>();
    private final List<Consumer<Seen>> listeners = new ArrayList<>();
    private final Thread poller;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastEventAt = System.currentTimeMillis();

    EventLog(String bootstrap, List<String> topics) {
        Properties props = new Properties();
        props.putAll(KafkaAccess.admin(bootstrap));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(60))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        poller = new Thread(this::poll, "soak-events");
        poller.setDaemon(true);
        poller.start();
    }

    void onEvent(Consumer<Seen> listener) {
        synchronized (events) {
            listeners.add(listener);
        }
    }

    private void poll() {
        try {
            while (!closed.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event;
                    try {
                        event = CairnJson.mapper().readTree(record.value());
                    } catch (IOException unreadable) {
                        continue;
                    }
                    Seen seen = new Seen(record.topic(), record.partition(), record.offset(),
                            System.currentTimeMillis(), event);
                    List<Consumer<Seen>> toTell;
                    synchronized (events) {
                        events.add(seen);
                        if (seen.commandId() != null) {
                            byCommand.computeIfAbsent(seen.commandId(), k -> new ArrayList<>()).add(seen);
                        }
                        if (seen.jobId() != null) {
                            byJob.computeIfAbsent(seen.jobId(), k -> new ArrayList<>()).add(seen);
                        }
                        lastEventAt = seen.atMillis();
                        toTell = List.copyOf(listeners);
                        events.notifyAll();
                    }
                    toTell.forEach(listener -> listener.accept(seen));
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The first event matching {@code match} among those of {@code commandId} (already seen or arriving in time). */
    Seen awaitForCommand(String commandId, Predicate<Seen> match, Duration timeout) {
        return await(() -> byCommand.getOrDefault(commandId, List.of()), match, timeout);
    }

    Seen awaitForJob(String jobId, Predicate<Seen> match, Duration timeout) {
        return await(() -> byJob.getOrDefault(jobId, List.of()), match, timeout);
    }

    private Seen await(java.util.function.Supplier<List<Seen>> candidates, Predicate<Seen> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Seen seen : candidates.get()) {
                    if (match.test(seen)) {
                        return seen;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed.get()) {
                    return null;
                }
                try {
                    events.wait(Math.max(1, Math.min(left / 1_000_000, 1_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    List<Seen> forCommand(String commandId) {
        synchronized (events) {
            return List.copyOf(byCommand.getOrDefault(commandId, List.of()));
        }
    }

    List<Seen> forJob(String jobId) {
        synchronized (events) {
            return List.copyOf(byJob.getOrDefault(jobId, List.of()));
        }
    }

    List<Seen> all() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    long lastEventAt() {
        return lastEventAt;
    }

    int size() {
        synchronized (events) {
            return events.size();
        }
    }

    @Override
    public void close() {
        closed.set(true);
        consumer.wakeup();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
