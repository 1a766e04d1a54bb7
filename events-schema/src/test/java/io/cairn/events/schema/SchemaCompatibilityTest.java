package io.cairn.events.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Guards the compatibility rule (fields are only ever added, optional) against the committed snapshot
 * {@value #SNAPSHOT}. Run with {@code -Dcairn.schema.snapshot.update=true} to record additions; the update refuses
 * changes that break the rule.
 */
class SchemaCompatibilityTest {
    private static final String SNAPSHOT = "src/test/resources/schema-compat/snapshot.json";
    private static final Path SNAPSHOT_FILE = Path.of(System.getProperty("basedir", ".")).resolve(SNAPSHOT);
    private static final ObjectMapper MAPPER = CairnJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<TreeMap<String, TreeMap<String, SchemaShape>>> SNAPSHOT_TYPE =
            new TypeReference<>() { };

    @Test
    void schemasAreCompatibleWithTheSnapshotAndTheSnapshotIsCurrent() throws IOException {
        Map<String, Map<String, SchemaShape>> current = currentShapes();
        Map<String, Map<String, SchemaShape>> snapshot = Map.copyOf(MAPPER.readValue(SNAPSHOT_FILE.toFile(), SNAPSHOT_TYPE));

        assertThat(SchemaCompatibility.violations(snapshot, current)).as("incompatible schema changes").isEmpty();

        if (Boolean.getBoolean("cairn.schema.snapshot.update")) {
            Files.writeString(SNAPSHOT_FILE, MAPPER.writeValueAsString(current) + "\n");
            snapshot = current;
        }
        assertThat(MAPPER.valueToTree(current).equals(MAPPER.valueToTree(snapshot)))
                .as("schemas changed compatibly but %s is stale: run with -Dcairn.schema.snapshot.update=true and commit it",
                        SNAPSHOT)
                .isTrue();
    }

    @Test
    void addingAnOptionalPropertyIsCompatible() {
        assertThat(changeOfAbortSchema(root -> properties(root).putObject("reason").put("type", "string"))).isEmpty();
    }

    @Test
    void removingAPropertyIsNot() {
        assertThat(changeOfAbortSchema(root -> properties(root).remove("commandId")))
                .anySatisfy(v -> assertThat(v).contains("'commandId' removed or renamed"));
    }

    @Test
    void renamingAPropertyIsNot() {
        assertThat(changeOfAbortSchema(root -> properties(root).set("id", properties(root).remove("commandId"))))
                .anySatisfy(v -> assertThat(v).contains("'commandId' removed or renamed"));
    }

    @Test
    void retypingAPropertyIsNot() {
        assertThat(changeOfAbortSchema(root -> properties(root).putObject("commandId").put("type", "integer")))
                .anySatisfy(v -> assertThat(v).contains("'commandId' retyped"));
    }

    @Test
    void requiringAnExistingOptionalPropertyIsNot() {
        assertThat(changeOfSchema("command/backup.begin.schema.json",
                root -> ((ArrayNode) root.get("required")).add("flags")))
                .singleElement().asString().contains("'flags' became required");
    }

    @Test
    void requiringANewPropertyIsNot() {
        assertThat(changeOfAbortSchema(root -> {
            properties(root).putObject("reason").put("type", "string");
            ((ArrayNode) root.get("required")).add("reason");
        })).singleElement().asString().contains("'reason' became required");
    }

    @Test
    void requiringThingsThroughANewConditionIsNot() {
        assertThat(changeOfAbortSchema(root -> root.putObject("then").putArray("required").add("reason")))
                .singleElement().asString().contains("new condition requires [reason]");
    }

    @Test
    void aNewOptionalObjectMayHaveRequiredFields() {
        assertThat(changeOfAbortSchema(root -> {
            ObjectNode window = properties(root).putObject("window").put("type", "object");
            window.putObject("properties").putObject("end").put("type", "string");
            window.putArray("required").add("end");
        })).isEmpty();
    }

    @Test
    void removingAnEnumValueIsNot() {
        assertThat(changeOfSchema("definitions.schema.json", root -> {
            ObjectNode mode = (ObjectNode) root.at("/$defs/backupDefinition/properties/mode");
            mode.putArray("enum").add("push");
        })).singleElement().asString().contains("enum value 'pull' removed");
    }

    @Test
    void removingASchemaIsNot() {
        Map<String, Map<String, SchemaShape>> after = new TreeMap<>(currentShapes());
        after.remove("command/backup.abort.schema.json");

        assertThat(SchemaCompatibility.violations(currentShapes(), after)).containsExactly(
                "command/backup.abort.schema.json: schema removed");
    }

    private static List<String> changeOfAbortSchema(Consumer<ObjectNode> change) {
        return changeOfSchema("command/backup.abort.schema.json", change);
    }

    private static List<String> changeOfSchema(String file, Consumer<ObjectNode> change) {
        ObjectNode schema = (ObjectNode) SchemaValidation.readResource(SchemaResources.RESOURCE_DIR + file);
        change.accept(schema);
        Map<String, Map<String, SchemaShape>> after = new TreeMap<>(currentShapes());
        after.put(file, SchemaShape.of(schema));
        return SchemaCompatibility.violations(currentShapes(), after);
    }

    private static ObjectNode properties(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    private static Map<String, Map<String, SchemaShape>> currentShapes() {
        SortedMap<String, Map<String, SchemaShape>> shapes = new TreeMap<>();
        for (String file : SchemaResources.all()) {
            JsonNode schema = SchemaValidation.readResource(SchemaResources.RESOURCE_DIR + file);
            shapes.put(file, SchemaShape.of(schema));
        }
        return shapes;
    }
}
