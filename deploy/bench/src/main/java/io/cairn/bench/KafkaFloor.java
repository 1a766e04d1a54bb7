package io.cairn.bench;

import io.cairn.bench.ResultTable.Row;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker alone: one record published (acks=all) and consumed, the floor under every Kafka hop of Cairn's paths (a
 * checkpoint create crosses four: command, agent request, agent answer, event).
 */
final class KafkaFloor {
    static final String TOPIC = "cairn.bench.ping";

    private final BenchSettings settings;
    private final Bench bench;

    KafkaFloor(BenchSettings settings, Bench bench) {
        this.settings = settings;
        this.bench = bench;
    }

    void measure() throws Exception {
        Properties client = settings.kafkaClient();
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Properties out = new Properties();
        out.putAll(client);
        out.put(ProducerConfig.ACKS_CONFIG, "all");
        out.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        out.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        out.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Properties in = new Properties();
        in.putAll(client);
        in.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        in.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        in.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Samples hop = new Samples();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(out);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(in)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            int warmup = Math.max(5, settings.reps() / 10);
            for (int i = 0; i < warmup + settings.reps(); i++) {
                String value = UUID.randomUUID().toString();
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(TOPIC, "ping", value)).get();
                long deadline = start + Duration.ofSeconds(30).toNanos();
                boolean seen = false;
                while (!seen && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                        seen |= value.equals(record.value());
                    }
                }
                if (!seen) {
                    throw new BenchFailure("the broker did not deliver a ping within 30 s");
                }
                if (i >= warmup) {
                    hop.add(System.nanoTime() - start);
                }
            }
        }
        bench.row(new Row("Kafka alone: publish (acks=all) → consume, one hop", hop.summary(), "-", "-",
                "(floor per hop)", "-"));
    }
}
