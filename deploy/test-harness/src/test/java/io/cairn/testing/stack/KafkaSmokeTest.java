package io.cairn.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Proves the local stack's broker is a real Kafka: a keyed record goes in and comes back out, in order per key. */
class KafkaSmokeTest {

    @Test
    void producesAndConsumesKeyedRecordsThroughTheRealBroker() throws Exception {
        StackAddresses stack = LocalStack.ensureRunning();
        String topic = "cairn.smoke." + UUID.randomUUID();
        try (Admin admin = Admin.create(KafkaAccess.admin(stack.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }

        List<String> sent = List.of("create chk1", "backup full", "create chk2");
        int partition;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(stack))) {
            RecordMetadata last = null;
            for (String value : sent) {
                last = producer.send(new ProducerRecord<>(topic, "vm-smoke", value)).get();
            }
            partition = last.partition();
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(stack))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("vm-smoke");
            assertThat(r.partition()).as("one key, one partition").isEqualTo(partition);
        });
    }

    private static Properties producerConfig(StackAddresses stack) {
        Properties props = new Properties();
        props.putAll(KafkaAccess.admin(stack.kafkaBootstrap()));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Properties consumerConfig(StackAddresses stack) {
        Properties props = new Properties();
        props.putAll(KafkaAccess.admin(stack.kafkaBootstrap()));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "smoke-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }
}
