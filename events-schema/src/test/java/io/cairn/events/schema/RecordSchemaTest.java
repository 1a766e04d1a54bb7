package io.cairn.events.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.command.Command;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command and event record writes JSON its schema accepts, declares, and reads back unchanged. */
class RecordSchemaTest {
    private static final ObjectMapper MAPPER = CairnJson.mapper();
    /** Either the XML or the JSON form is set, never both, so a "full" record leaves one of these null. */
    private static final Set<String> EXCLUSIVE_ALTERNATIVES = Set.of("checkpointXml", "backupXml");

    static Stream<Arguments> samples() {
        return SampleRecords.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static Stream<Arguments> fullSamples() {
        return SampleRecords.full().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void serializedRecordValidatesAgainstItsSchema(String name, Object record) {
        JsonNode json = MAPPER.valueToTree(record);

        assertThat(json.path("type").asText()).isEqualTo(typeOf(record));
        assertThat(SchemaValidation.LENIENT.errors(json)).as(json.toPrettyString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void schemaDeclaresEveryFieldTheRecordWrites(String name, Object record) {
        JsonNode json = MAPPER.valueToTree(record);

        assertThat(SchemaValidation.STRICT.errors(json)).as(json.toPrettyString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void recordReadsBackEqual(String name, Object record) throws Exception {
        byte[] bytes = MAPPER.writeValueAsBytes(record);
        Class<?> base = record instanceof Command ? Command.class : CairnEvent.class;

        assertThat(MAPPER.readValue(bytes, base)).isEqualTo(record);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fullSamples")
    void fullSampleSetsEveryComponent(String name, Object record) {
        assertEveryComponentSet(name, record);
    }

    @Test
    void everyCommandAndEventRecordHasAFullSample() {
        Set<Class<?>> covered = SampleRecords.full().values().stream()
                .map(Object::getClass).collect(java.util.stream.Collectors.toSet());

        assertThat(covered).containsAll(Arrays.asList(Command.class.getPermittedSubclasses()));
        assertThat(covered).containsAll(Arrays.asList(CairnEvent.class.getPermittedSubclasses()));
    }

    @Test
    void everyTypeHasASchemaAndEverySchemaAType() {
        Stream<String> commandTypes = Arrays.stream(Command.class.getPermittedSubclasses()).map(RecordSchemaTest::typeConstant);
        Stream<String> eventTypes = Arrays.stream(CairnEvent.class.getPermittedSubclasses()).map(RecordSchemaTest::typeConstant);

        assertThat(commandTypes).containsExactlyInAnyOrderElementsOf(SchemaResources.COMMAND_TYPES);
        assertThat(eventTypes).containsExactlyInAnyOrderElementsOf(SchemaResources.EVENT_TYPES);
    }

    private static String typeOf(Object record) {
        return record instanceof Command command ? command.type() : ((CairnEvent) record).type();
    }

    private static String typeConstant(Class<?> type) {
        try {
            return (String) type.getField("TYPE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type + " lacks a public TYPE constant", e);
        }
    }

    /** Walks nested records and collections, so the strict schema check really sees every field. */
    private static void assertEveryComponentSet(String path, Object value) {
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (EXCLUSIVE_ALTERNATIVES.contains(component.getName())) {
                    continue;
                }
                Object child;
                try {
                    child = component.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                String childPath = path + "." + component.getName();
                assertThat(child).as(childPath).isNotNull();
                assertEveryComponentSet(childPath, child);
            }
        } else if (value instanceof Collection<?> collection) {
            assertThat(collection).as(path).isNotEmpty();
            collection.forEach(element -> assertEveryComponentSet(path + "[]", element));
        } else if (value instanceof Map<?, ?> map) {
            assertThat(map).as(path).isNotEmpty();
        }
    }
}
