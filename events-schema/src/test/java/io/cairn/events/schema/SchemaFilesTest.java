package io.cairn.events.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.cairn.events.command.Identifiers;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema files are well-formed 2020-12 schemas, addressable by their $id and open to added fields. */
class SchemaFilesTest {
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    static Stream<String> schemaFiles() {
        return SchemaResources.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaFiles")
    void isAValidDraft202012SchemaWithIdMatchingItsPath(String path) {
        JsonNode schema = SchemaValidation.readResource(SchemaResources.RESOURCE_DIR + path);
        assertThat(schema.path("$schema").asText()).isEqualTo(DRAFT_2020_12);
        assertThat(schema.path("$id").asText()).isEqualTo(SchemaResources.BASE_URI + path);
        assertThat(metaSchema().validate(schema)).isEmpty();
    }

    /** networknt ships the 2020-12 meta-schemas, so this needs no network. */
    private static JsonSchema metaSchema() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SchemaLocation.of(DRAFT_2020_12));
    }

    @Test
    void metaSchemaCheckCatchesMalformedSchemas() {
        JsonNode malformed = CairnJson.mapper().createObjectNode().put("type", 5);

        assertThat(metaSchema().validate(malformed)).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaFiles")
    void neverForbidsUnknownProperties(String path) {
        List<String> closed = new ArrayList<>();
        findClosedObjects(SchemaValidation.readResource(SchemaResources.RESOURCE_DIR + path), "", closed);

        assertThat(closed).as("fields are only ever added: old readers must accept them").isEmpty();
    }

    @Test
    void everySchemaFileIsListed() throws IOException, URISyntaxException {
        // Found through a file: the bare directory name would also match test-classes' package of this test.
        Path root = Path.of(getClass().getClassLoader()
                .getResource(SchemaResources.RESOURCE_DIR + SchemaResources.DEFINITIONS).toURI()).getParent();
        try (Stream<Path> files = Files.walk(root)) {
            List<String> found = files.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).toList();

            assertThat(found).containsExactlyInAnyOrderElementsOf(SchemaResources.all());
        }
    }

    @Test
    void everyErrorCodeFitsTheErrorInfoSchema() {
        for (VirErrorCode code : VirErrorCode.values()) {
            JsonNode rejected = CairnJson.mapper().valueToTree(ErrorInfo.of(code, "m"));

            assertThat(SchemaValidation.STRICT.errors("definitions.schema.json#/$defs/errorInfo", rejected))
                    .as(code.name()).isEmpty();
        }
    }

    @Test
    void patternsAreTheOnesTheJavaChecksUse() {
        JsonNode defs = SchemaValidation.readResource(SchemaResources.RESOURCE_DIR + SchemaResources.DEFINITIONS)
                .get("$defs");

        assertThat(defs.at("/domainName/pattern").asText()).isEqualTo(Identifiers.DOMAIN_NAME_PATTERN);
        assertThat(defs.at("/checkpointName/pattern").asText()).isEqualTo(Identifiers.CHECKPOINT_NAME_PATTERN);
        assertThat(defs.at("/commandId/pattern").asText()).isEqualTo(Identifiers.COMMAND_ID_PATTERN);
    }

    private static void findClosedObjects(JsonNode node, String pointer, List<String> closed) {
        if (node.isObject()) {
            if (node.path("additionalProperties").isBoolean() && !node.get("additionalProperties").asBoolean()
                    || node.path("unevaluatedProperties").isBoolean() && !node.get("unevaluatedProperties").asBoolean()) {
                closed.add(pointer);
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                findClosedObjects(node.get(name), pointer + "/" + name, closed);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findClosedObjects(node.get(i), pointer + "/" + i, closed);
            }
        }
    }
}
