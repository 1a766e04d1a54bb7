package io.cairn.tour;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Reads Cairn's public event topics from "now" on (no consumer group: the tour is a passing observer) and lets the
 * tour wait for the events its commands cause.
 */
final class EventFeed implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<JsonNode> events = new ArrayList<>();
    private final Thread poller;
    private final AtomicBoolean closed = new AtomicBoolean();

    EventFeed(Properties client, List<String> topics) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, before any command is sent: nothing the tour causes can be skipped.
        partitions.forEach(consumer::position);
        poller = new Thread(this::poll, "tour-events");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (!closed.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode event = CairnJson.mapper().readTree(record.value());
                        synchronized (events) {
                            events.add(event);
                            events.notifyAll();
                        }
                    } catch (IOException unreadable) {
                        // Not Cairn's: someone else writes to the topic. The tour only follows its own commands.
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close();
        }
    }

    /**
     * Waits for the first event matching {@code done}, handing every other event of the given commandIds to
     * {@code onOther} as it arrives (progress bars); fails the step when the timeout passes.
     */
    JsonNode await(Predicate<JsonNode> done, Consumer<JsonNode> onOther, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (events) {
            while (true) {
                for (; seen < events.size(); seen++) {
                    JsonNode event = events.get(seen);
                    if (done.test(event)) {
                        return event;
                    }
                    onOther.accept(event);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TourFailure("no " + what + " within " + timeout.toSeconds() + " s");
                }
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TourFailure("interrupted while waiting for " + what, e);
                }
            }
        }
    }

    /** The first event of this type caused by the command (or a command-rejected for it, which fails the step). */
    JsonNode awaitOutcome(String commandId, String type, Consumer<JsonNode> onOther, Duration timeout) {
        JsonNode event = await(e -> commandId.equals(e.path("commandId").asText())
                && (type.equals(e.path("type").asText()) || "command-rejected".equals(e.path("type").asText())),
                onOther, timeout, type + " for command " + commandId);
        if ("command-rejected".equals(event.path("type").asText())) {
            throw new TourFailure("Cairn rejected command " + commandId + ": " + event.at("/error/code").asText()
                    + " (" + event.at("/error/number").asInt() + "): " + event.at("/error/message").asText());
        }
        return event;
    }

    @Override
    public void close() {
        closed.set(true);
        consumer.wakeup();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
