package io.cairn.events.topic;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One topic as the catalogue describes it; enough to create it anywhere (local stack, Kubernetes) identically.
 *
 * @param name        the topic name
 * @param visibility  public (users' contract) or internal
 * @param key         what the record key holds, e.g. {@code domain} or {@code hostId}
 * @param partitions  partition count; per-key order holds within a partition
 * @param config      Kafka topic configs ({@code cleanup.policy}, {@code retention.ms}, ...) as strings
 * @param producers   who writes, e.g. {@code users}, {@code checkpoint-service}
 * @param consumers   who reads
 * @param types       the {@code type} values the records carry (public topics)
 * @param description what the topic is for
 */
public record TopicSpec(
        String name,
        Visibility visibility,
        String key,
        int partitions,
        Map<String, String> config,
        List<String> producers,
        List<String> consumers,
        List<String> types,
        String description) {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String RETENTION_MS = "retention.ms";

    public TopicSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
        producers = producers == null ? List.of() : List.copyOf(producers);
        consumers = consumers == null ? List.of() : List.copyOf(consumers);
        types = types == null ? List.of() : List.copyOf(types);
    }

    /** {@code delete} or {@code compact}; Kafka's default is delete. */
    public String cleanupPolicy() {
        return config.getOrDefault(CLEANUP_POLICY, "delete");
    }

    public boolean isCompacted() {
        return cleanupPolicy().contains("compact");
    }

    /** How long records are kept, when the catalogue says so. */
    public OptionalLong retentionMs() {
        String value = config.get(RETENTION_MS);
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }

    /** A topic every host has its own of (its name holds {@value AgentTopics#HOST_PLACEHOLDER}). */
    public boolean isPerHost() {
        return name.contains(AgentTopics.HOST_PLACEHOLDER);
    }

    /** This topic's name for one host; the name itself for a topic that is not per host. */
    public String nameFor(String hostId) {
        return isPerHost() ? AgentTopics.forHost(name, hostId) : name;
    }
}
