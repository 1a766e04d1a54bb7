package io.cairn.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The topic catalogue of events-schema, the one source of topic names, partitions, configs and who uses them. */
record TopicCatalogue(List<Topic> topics) {

    /** One catalogue entry. */
    record Topic(String name, int partitions, Map<String, String> config, List<String> producers,
            List<String> consumers) {
    }

    static TopicCatalogue load() {
        try {
            JsonNode root = new ObjectMapper().readTree(
                    Project.root().resolve("events-schema/src/main/resources/io/cairn/events/topics.json").toFile());
            List<Topic> topics = new ArrayList<>();
            for (JsonNode t : root.get("topics")) {
                Map<String, String> config = new LinkedHashMap<>();
                t.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
                topics.add(new Topic(t.get("name").asText(), t.get("partitions").asInt(), config,
                        texts(t.get("producers")), texts(t.get("consumers"))));
            }
            return new TopicCatalogue(topics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
