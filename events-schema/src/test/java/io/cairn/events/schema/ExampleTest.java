package io.cairn.events.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.command.Command;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented example is valid under its schema, reads into its record and writes back unchanged. */
class ExampleTest {
    private static final ObjectMapper MAPPER = CairnJson.mapper();

    static Stream<String> examples() {
        return Examples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void validatesAgainstItsSchema(String example) throws Exception {
        JsonNode json = MAPPER.readTree(Examples.text(example));

        assertThat(SchemaValidation.LENIENT.errors(json)).isEmpty();
        // No typos: an example may only use fields the schema declares.
        assertThat(SchemaValidation.STRICT.errors(json)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void readsIntoItsRecordAndWritesBackTheSameJson(String example) throws Exception {
        JsonNode json = MAPPER.readTree(Examples.text(example));
        Class<?> base = example.startsWith("command/") ? Command.class : CairnEvent.class;

        Object record = MAPPER.treeToValue(json, base);

        assertThat(record).isNotNull();
        // Through bytes, as on the wire: an in-memory tree would hold a long where the parsed example holds an int.
        assertThat(MAPPER.readTree(MAPPER.writeValueAsBytes(record))).isEqualTo(json);
        if (record instanceof Command command) {
            command.validate();
        }
    }

    @Test
    void everyCommandAndEventTypeHasAnExample() {
        List<String> types = Examples.all().stream().map(ExampleTest::typeOf).distinct().toList();

        assertThat(types).containsAll(SchemaResources.COMMAND_TYPES).containsAll(SchemaResources.EVENT_TYPES);
    }

    @Test
    void exampleFileNamesStartWithTheirType() {
        for (String example : Examples.all()) {
            assertThat(example.substring(example.indexOf('/') + 1)).as(example).startsWith(typeOf(example));
        }
    }

    private static String typeOf(String example) {
        try {
            return MAPPER.readTree(Examples.text(example)).path("type").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
