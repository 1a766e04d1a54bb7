package io.cairn.checkpoint.messaging;

import io.cairn.testing.stack.KafkaAccess;
import io.cairn.events.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A user's stream of REDEFINE checkpoint.create commands over a few domains (no host agent needed), knowing what each
 * command's outcome must be: every domain grows a chain c1, c2, ...; every 8th command names a missing parent and must
 * be rejected; every 11th re-sends an earlier command (same commandId) that must not get a second outcome.
 */
final class CommandStream implements AutoCloseable {
    /** One command the broker accepted, and the outcome type the lineage rules give it. */
    record Sent(String commandId, String domain, String expectedType, long sentAtMillis) {
    }

    private final KafkaProducer<String, String> producer;
    private final List<String> domains = new ArrayList<>();
    private final Map<String, List<String[]>> chains = new LinkedHashMap<>();
    private final Map<String, Sent> accepted = new ConcurrentHashMap<>();
    private final List<String[]> sentRecords = new ArrayList<>();
    private final List<Exception> sendFailures = Collections.synchronizedList(new ArrayList<>());
    private int sent;

    CommandStream(String bootstrap, int domainCount) {
        Properties p = new Properties();
        p.putAll(KafkaAccess.admin(bootstrap));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A user's producer rides out a broker restart by buffering; two minutes is Kafka's default, stated here.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < domainCount; i++) {
            String domain = "fault-vm-" + run + "-" + i;
            domains.add(domain);
            chains.put(domain, new ArrayList<>());
        }
    }

    /** Sends the next command without waiting for the broker (the producer buffers while it is away). */
    void sendNext() {
        int index = sent++;
        if (index % 11 == 10 && !sentRecords.isEmpty()) {
            String[] again = sentRecords.get(sentRecords.size() / 2);
            publish(again[0], again[1], again[2], null);
            return;
        }
        String domain = domains.get(index % domains.size());
        List<String[]> chain = chains.get(domain);
        String commandId = "fault-cmd-" + UUID.randomUUID();
        String parent = chain.isEmpty() ? null : chain.get(chain.size() - 1)[0];
        String value;
        String expected;
        if (index % 8 == 7) {
            value = redefine(commandId, domain, "x" + index, "no-such-parent");
            expected = "command-rejected";
        } else {
            String name = "c" + (chain.size() + 1);
            value = redefine(commandId, domain, name, parent);
            chain.add(new String[] {name, parent});
            expected = "checkpoint-created";
        }
        sentRecords.add(new String[] {commandId, domain, value});
        publish(commandId, domain, value, expected);
    }

    private void publish(String commandId, String domain, String value, String expectedType) {
        long at = System.currentTimeMillis();
        producer.send(new ProducerRecord<>(Topics.CHECKPOINT_COMMANDS, domain, value), (metadata, failure) -> {
            if (failure != null) {
                sendFailures.add(failure);
            } else if (expectedType != null) {
                accepted.putIfAbsent(commandId, new Sent(commandId, domain, expectedType, at));
            }
        });
    }

    /** Waits until the broker has answered every send; afterwards {@link #accepted()} is final. */
    void flush() {
        producer.flush();
    }

    int recordsSent() {
        return sent;
    }

    /** Distinct commands the broker acknowledged: each must get exactly one outcome. */
    Map<String, Sent> accepted() {
        return accepted;
    }

    List<Exception> sendFailures() {
        return sendFailures;
    }

    Set<String> domains() {
        return new LinkedHashSet<>(domains);
    }

    /** The lineage the accepted creates must leave: name to parent (null for the root), in creation order. */
    Map<String, String> expectedLineage(String domain) {
        Map<String, String> lineage = new LinkedHashMap<>();
        chains.get(domain).forEach(link -> lineage.put(link[0], link[1]));
        return lineage;
    }

    private static String redefine(String commandId, String domain, String name, String parent) {
        return "{\"commandId\":\"" + commandId + "\",\"type\":\"checkpoint.create\",\"domain\":\"" + domain + "\","
                + "\"checkpoint\":{\"name\":\"" + name + "\"" + (parent == null ? "" : ",\"parent\":\"" + parent + "\"")
                + ",\"creationTime\":1700000000,\"disks\":[{\"name\":\"vda\",\"checkpoint\":\"bitmap\",\"bitmap\":\""
                + name + "\"}]},\"flags\":[\"REDEFINE\"]}";
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
