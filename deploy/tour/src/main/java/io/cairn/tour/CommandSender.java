package io.cairn.tour;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes commands the way any user's service would: JSON, keyed by domain, with a fresh commandId. */
final class CommandSender implements AutoCloseable {
    private final KafkaProducer<String, String> producer;

    CommandSender(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    /** A command skeleton with a new commandId; the caller adds its fields and passes it to {@link #send}. */
    static ObjectNode command(String type, String domain) {
        return CairnJson.mapper().createObjectNode().put("commandId", "tour-" + UUID.randomUUID())
                .put("type", type).put("domain", domain);
    }

    /** Sends and waits for the broker's acknowledgement; returns the commandId to follow. */
    String send(String topic, ObjectNode command) {
        String domain = command.get("domain").asText();
        try {
            producer.send(new ProducerRecord<>(topic, domain, command.toString())).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TourFailure("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TourFailure("the broker did not accept a command on " + topic + ": " + e.getMessage(), e);
        }
        return command.get("commandId").asText();
    }

    @Override
    public void close() {
        producer.close();
    }
}
