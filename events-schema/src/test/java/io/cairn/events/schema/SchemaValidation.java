package io.cairn.events.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON against the shipped schemas, offline, the way a user would (mapping the $id prefix to the
 * classpath). The strict variant additionally forbids properties a schema does not declare, to catch records
 * that write fields the schemas forgot — the shipped schemas must stay open for forward compatibility.
 */
final class SchemaValidation {
    static final SchemaValidation LENIENT = new SchemaValidation(false);
    static final SchemaValidation STRICT = new SchemaValidation(true);

    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private SchemaValidation(boolean strict) {
        if (strict) {
            Map<String, String> closed = closedSchemas();
            factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    builder -> builder.schemaLoaders(loaders -> loaders.schemas(closed)));
        } else {
            factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(
                            SchemaResources.BASE_URI, "classpath:" + SchemaResources.RESOURCE_DIR)));
        }
    }

    /** Error messages of validating {@code instance} against the schema at {@code path}; empty when valid. */
    List<String> errors(String path, JsonNode instance) {
        JsonSchema schema = schemas.computeIfAbsent(path,
                p -> factory.getSchema(SchemaLocation.of(SchemaResources.BASE_URI + p), config));
        return schema.validate(instance).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Validates against the schema its own {@code type} names. */
    List<String> errors(JsonNode instance) {
        return errors(SchemaResources.schemaFor(instance.path("type").asText()), instance);
    }

    static JsonNode readResource(String path) {
        try (InputStream in = SchemaValidation.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return CairnJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> closedSchemas() {
        Map<String, String> closed = new HashMap<>();
        for (String path : SchemaResources.all()) {
            JsonNode schema = readResource(SchemaResources.RESOURCE_DIR + path);
            close(schema);
            closed.put(SchemaResources.BASE_URI + path, schema.toString());
        }
        return closed;
    }

    /** unevaluatedProperties (not additionalProperties) so properties that $ref, if/then or allOf declare count. */
    private static void close(JsonNode node) {
        if (node.isObject() && "object".equals(node.path("type").asText())) {
            ((ObjectNode) node).put("unevaluatedProperties", false);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            close(children.next());
        }
    }
}
