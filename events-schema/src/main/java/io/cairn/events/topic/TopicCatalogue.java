package io.cairn.events.topic;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every Kafka topic of Cairn, read from the one resource {@value #RESOURCE} that the local stack script and the
 * deploy manifests also read, so topic settings cannot differ between environments.
 */
public final class TopicCatalogue {
    /** Classpath location; in the source tree: {@code events-schema/src/main/resources/io/cairn/events/topics.json}. */
    public static final String RESOURCE = "io/cairn/events/topics.json";

    private static final TopicCatalogue DEFAULT = load();

    private final Map<String, TopicSpec> byName;

    private TopicCatalogue(List<TopicSpec> topics) {
        Map<String, TopicSpec> map = new LinkedHashMap<>();
        for (TopicSpec topic : topics) {
            if (map.put(topic.name(), topic) != null) {
                throw new IllegalStateException("topic " + topic.name() + " is listed twice in " + RESOURCE);
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The catalogue shipped in this jar. */
    public static TopicCatalogue get() {
        return DEFAULT;
    }

    /** Reads a catalogue in the {@code topics.json} format, e.g. from a file a deployment overrides. */
    public static TopicCatalogue read(InputStream json) throws IOException {
        ObjectMapper mapper = CairnJson.mapper();
        File file = mapper.readValue(json, File.class);
        return new TopicCatalogue(file.topics() == null ? List.of() : file.topics());
    }

    private static TopicCatalogue load() {
        try (InputStream in = TopicCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** All topics in catalogue order. */
    public List<TopicSpec> topics() {
        return List.copyOf(byName.values());
    }

    public Optional<TopicSpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The topic of that name; fails loudly, since a missing topic is a packaging error. */
    public TopicSpec topic(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no topic " + name + " in " + RESOURCE));
    }

    public List<TopicSpec> withVisibility(Visibility visibility) {
        return byName.values().stream().filter(t -> t.visibility() == visibility).toList();
    }

    /** The JSON document's shape. */
    private record File(String description, List<TopicSpec> topics) {
    }
}
