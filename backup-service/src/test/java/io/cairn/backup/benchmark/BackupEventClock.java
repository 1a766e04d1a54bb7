package io.cairn.backup.benchmark;

import io.cairn.testing.stack.KafkaAccess;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import io.cairn.events.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A user's service as the benchmark sees it: publishes backup commands and timestamps each of its backup events the
 * moment its consumer receives it (a thread of its own polls, so waiting for one event never delays another's time).
 */
final class BackupEventClock implements AutoCloseable {
    /** One backup event of ours, with the System.nanoTime() at which it was consumed. */
    record Received(long nanos, String commandId, String type, JsonNode event) {
    }

    private final String commandTopic;
    private final String commandPrefix;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final BlockingQueue<Received> arrivals = new LinkedBlockingQueue<>();
    private final Map<String, Received> byKey = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    BackupEventClock(String bootstrap, String commandTopic, String commandPrefix) {
        this.commandTopic = commandTopic;
        this.commandPrefix = commandPrefix;
        Properties p = new Properties();
        p.putAll(KafkaAccess.admin(bootstrap));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.putAll(KafkaAccess.admin(bootstrap));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-clock-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        consumer.subscribe(List.of(Topics.BACKUP_EVENTS));
        pinStart();
        poller = new Thread(this::poll, "bench-event-clock");
        poller.setDaemon(true);
        poller.start();
    }

    /** Publishes a command (keyed by domain) and returns the nanoTime just before the send. */
    long send(String domain, String commandJson) {
        long sent = System.nanoTime();
        try {
            producer.send(new ProducerRecord<>(commandTopic, domain, commandJson)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + commandTopic, e);
        }
        return sent;
    }

    /** The event of this type for this command, waiting at most {@code timeout}. */
    Received await(String commandId, String type, Duration timeout) {
        try {
            // Polled often: the arrival time is stamped by the consumer thread, not by this wait.
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(2))
                    .until(() -> byKey.get(commandId + "/" + type), java.util.Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(type + " for " + commandId + " not seen within " + timeout + "; seen: "
                    + byKey.keySet().stream().filter(key -> key.startsWith(commandId)).toList());
        }
    }

    /** The next of our events in arrival order, or null after {@code timeout}. */
    Received next(Duration timeout) throws InterruptedException {
        return arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        while (running) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                long nanos = System.nanoTime();
                if (!record.value().contains("\"commandId\":\"" + commandPrefix)) {
                    continue;
                }
                try {
                    JsonNode event = CairnJson.mapper().readTree(record.value());
                    Received received = new Received(nanos, event.path("commandId").asText(),
                            event.path("type").asText(), event);
                    byKey.putIfAbsent(received.commandId() + "/" + received.type(), received);
                    arrivals.add(received);
                } catch (Exception e) {
                    System.err.println("unreadable event " + record.value() + ": " + e);
                }
            }
        }
    }

    private void pinStart() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the event clock got no partitions within 30 s");
            }
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.assignment().forEach(consumer::position);
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
