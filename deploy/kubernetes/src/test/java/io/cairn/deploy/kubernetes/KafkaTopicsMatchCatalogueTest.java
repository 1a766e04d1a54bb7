package io.cairn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.topic.AgentTopics;
import io.cairn.events.topic.TopicSpec;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The KafkaTopics are the catalogue's topics that are not per host, exactly: same names, partitions and configs, none
 * missing, none extra. (Each node's agent topics come with its onboarding: RenderNodeTest.)
 */
class KafkaTopicsMatchCatalogueTest {

    static final List<String> OVERLAYS = RenderedOverlay.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void topicsEqualTheCatalogue(String overlay) {
        Map<String, String> expected = new TreeMap<>();
        for (TopicSpec topic : Catalogue.load().topics().stream().filter(t -> !t.isPerHost()).toList()) {
            expected.put(topic.name(), topic.partitions() + " " + new TreeMap<>(topic.config()));
        }
        Map<String, String> actual = new TreeMap<>();
        for (KafkaTopic topic : RenderedOverlay.render(overlay).all(KafkaTopic.class)) {
            Map<String, String> config = new TreeMap<>();
            topic.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            actual.put(topic.getSpec().getTopicName(), topic.getSpec().getPartitions() + " " + config);
        }

        assertThat(actual).isEqualTo(expected);
        assertThat(actual.keySet()).as("no agent topic is shared by the hosts")
                .noneMatch(name -> name.startsWith(AgentTopics.PREFIX));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyTopicBelongsToTheClusterAndTakesItsReplication(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        String cluster = rendered.all(io.strimzi.api.kafka.model.kafka.Kafka.class).get(0).getMetadata().getName();

        for (KafkaTopic topic : rendered.all(KafkaTopic.class)) {
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
            assertThat(topic.getSpec().getReplicas()).as("replication comes from the broker default").isNull();
            assertThat(topic.getMetadata().getName()).isEqualTo(topic.getSpec().getTopicName().replace('.', '-'));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void replicationFitsTheBrokers(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        int brokers = rendered.all(io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class).stream()
                .filter(p -> p.getSpec().getRoles().toString().contains("BROKER"))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        Map<String, Object> config = new LinkedHashMap<>(
                rendered.all(io.strimzi.api.kafka.model.kafka.Kafka.class).get(0).getSpec().getKafka().getConfig());

        int replication = Integer.parseInt(config.get("default.replication.factor").toString());
        int minIsr = Integer.parseInt(config.get("min.insync.replicas").toString());
        assertThat(replication).isLessThanOrEqualTo(brokers);
        assertThat(Integer.parseInt(config.get("offsets.topic.replication.factor").toString())).isEqualTo(replication);
        assertThat(minIsr).isLessThanOrEqualTo(replication).isEqualTo(replication == 1 ? 1 : replication - 1);
        assertThat(config).containsEntry("auto.create.topics.enable", false);
    }
}
