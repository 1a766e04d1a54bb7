package io.cairn.soak;

import io.cairn.testing.stack.KafkaAccess;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends commands the way a user's service does (JSON keyed by domain, a commandId of its own) and, for the
 * duplicate cases, sends the same commandId a second time: again to Kafka (a retry), or to the REST API at the same
 * moment (Idempotency-Key = commandId). Every command goes into the ledger with what the broker and REST said.
 */
final class CommandClient implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final Ledger ledger;
    private final String runId;
    private final AtomicLong sequence = new AtomicLong();
    private final ExecutorService restPool = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "soak-rest");
        thread.setDaemon(true);
        return thread;
    });

    CommandClient(String bootstrap, Ledger ledger, String runId) {
        Properties props = new Properties();
        props.putAll(KafkaAccess.admin(bootstrap));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // Bounded: a broker that is away for longer fails the send, and the command counts as not accepted.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "45000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "45000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(props);
        this.ledger = ledger;
        this.runId = runId;
    }

    /** A command skeleton with a new commandId. */
    ObjectNode command(String type, String domain) {
        return CairnJson.mapper().createObjectNode()
                .put("commandId", "soak-" + runId + "-" + sequence.incrementAndGet())
                .put("type", type).put("domain", domain);
    }

    /**
     * Sends {@code command} on {@code topic} by {@code channel}; {@code rest} makes the REST twin of the command (only
     * called for KAFKA_AND_REST). Returns the ledger entry; whether it was accepted is in it.
     */
    Ledger.Command send(String topic, ObjectNode command, Ledger.Channel channel, Supplier<Rest.Answer> rest,
            Random random, boolean duringSettle) {
        Ledger.Command entry = ledger.command(command.get("commandId").asText(), command.get("type").asText(),
                command.get("domain").asText(), channel, duringSettle);
        CompletableFuture<Void> restCall = null;
        if (channel == Ledger.Channel.KAFKA_AND_REST) {
            entry.restTried = true;
            // The REST call first, on its own thread, then Kafka at once: both deliveries race for the claim.
            restCall = CompletableFuture.runAsync(() -> entry.rest = rest.get(), restPool);
        }
        kafka(topic, command, entry);
        if (channel == Ledger.Channel.KAFKA_TWICE) {
            Tools.sleep(random.nextInt(400));
            kafka(topic, command, entry);
        }
        if (restCall != null) {
            try {
                restCall.get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                // no REST answer: the Kafka delivery decides whether it was accepted
            }
        }
        return entry;
    }

    private void kafka(String topic, ObjectNode command, Ledger.Command entry) {
        String domain = command.get("domain").asText();
        try {
            producer.send(new ProducerRecord<>(topic, domain, command.toString())).get(60, TimeUnit.SECONDS);
            synchronized (entry) {
                entry.kafkaAcks++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entry.kafkaFailures++;
            entry.kafkaError = "interrupted";
        } catch (Exception e) {
            synchronized (entry) {
                entry.kafkaFailures++;
                entry.kafkaError = String.valueOf(e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        restPool.shutdownNow();
        producer.close(Duration.ofSeconds(10));
    }
}
