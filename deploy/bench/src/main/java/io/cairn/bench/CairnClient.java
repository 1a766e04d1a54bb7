package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Cairn as a user's service sees it: commands published on Kafka, each with a trace context of its own (so the
 * services' spans of that command can be found afterwards), and every event read as it arrives, with its arrival time.
 */
final class CairnClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An event and when it arrived here ({@link System#nanoTime()}). */
    record Arrival(JsonNode event, long nanos) {
        String type() {
            return event.path("type").asText();
        }
    }

    /** A published command: its id, its trace id, and when the publish started. */
    record Sent(String commandId, String domain, String traceId, long nanos, long epochMicros) {
    }

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<Arrival>> byCommand = new ConcurrentHashMap<>();
    private final List<Arrival> all = new ArrayList<>();
    private final Thread poller;
    private final AtomicBoolean closed = new AtomicBoolean();

    CairnClient(Properties client, List<String> eventTopics) {
        Properties out = new Properties();
        out.putAll(client);
        out.put(ProducerConfig.ACKS_CONFIG, "all");
        // Each command is timed from its own publish: waiting for a batch to fill would only add to every sample.
        out.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        out.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        out.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(out);
        Properties in = new Properties();
        in.putAll(client);
        in.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        in.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        in.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(in);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : eventTopics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolved now: nothing caused later can be skipped
        poller = new Thread(this::poll, "bench-events");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (!closed.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    try {
                        JsonNode event = CairnJson.mapper().readTree(record.value());
                        Arrival arrival = new Arrival(event, now);
                        String commandId = event.path("commandId").asText(null);
                        if (commandId != null) {
                            byCommand.computeIfAbsent(commandId, id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                    .add(arrival);
                        }
                        synchronized (all) {
                            all.add(arrival);
                            all.notifyAll();
                        }
                    } catch (IOException unreadable) {
                        // not Cairn's
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close();
        }
    }

    /** A command skeleton with a new commandId. */
    static ObjectNode command(String type, String domain) {
        return CairnJson.mapper().createObjectNode().put("commandId", "bench-" + UUID.randomUUID())
                .put("type", type).put("domain", domain);
    }

    /** Publishes and waits for the broker's acknowledgement. */
    Sent send(String topic, ObjectNode command) {
        try {
            return sendAsync(topic, command).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while publishing to " + topic, e);
        } catch (ExecutionException e) {
            throw new BenchFailure("the broker did not accept a command on " + topic + ": " + e.getCause(), e);
        }
    }

    /** Publishes without waiting (the burst); the future completes with the acknowledgement. */
    java.util.concurrent.CompletableFuture<Sent> sendAsync(String topic, ObjectNode command) {
        String domain = command.get("domain").asText();
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, domain, command.toString());
        record.headers().add("traceparent", ("00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8))
                + "-01").getBytes(StandardCharsets.UTF_8));
        long epochMicros = System.currentTimeMillis() * 1000;
        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<Sent> done = new java.util.concurrent.CompletableFuture<>();
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(new Sent(command.get("commandId").asText(), domain, traceId, start, epochMicros));
            }
        });
        return done;
    }

    /**
     * The first event of the command whose type is one of {@code types}; a command-rejected that was not asked for
     * fails the benchmark with Cairn's error.
     */
    Arrival await(Sent sent, Duration timeout, String... types) {
        List<String> wanted = List.of(types);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (all) {
            while (true) {
                for (Arrival arrival : byCommand.getOrDefault(sent.commandId(), List.of())) {
                    if (wanted.contains(arrival.type())) {
                        return arrival;
                    }
                    if ("command-rejected".equals(arrival.type())) {
                        throw new BenchFailure("Cairn rejected " + sent.commandId() + ": "
                                + arrival.event().path("error"));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BenchFailure("no " + wanted + " for " + sent.commandId() + " within "
                            + timeout.toSeconds() + " s");
                }
                waitOn(left);
            }
        }
    }

    /** The first event anyone caused that matches, arriving after {@code sinceNanos}. */
    Arrival awaitEvent(Predicate<JsonNode> match, long sinceNanos, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (all) {
            while (true) {
                for (; seen < all.size(); seen++) {
                    Arrival arrival = all.get(seen);
                    if (arrival.nanos() >= sinceNanos && match.test(arrival.event())) {
                        return arrival;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BenchFailure("no " + what + " within " + timeout.toSeconds() + " s");
                }
                waitOn(left);
            }
        }
    }

    /** Every event of the command so far (duplicates included). */
    List<Arrival> arrivals(String commandId) {
        return List.copyOf(byCommand.getOrDefault(commandId, List.of()));
    }

    private void waitOn(long leftNanos) {
        try {
            all.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted", e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
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
        producer.close(Duration.ofSeconds(5));
    }

}
