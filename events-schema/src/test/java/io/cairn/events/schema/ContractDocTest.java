package io.cairn.events.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.cloudevents.CloudEventHeaders;
import io.cairn.events.command.ReservedNames;
import io.cairn.events.topic.DeadLetterHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps events-schema/README.md from drifting: its examples are the example files byte for byte, and its topic,
 * error and schema tables are rendered from the catalogue, the enum and the schema list.
 * Run with {@code -Dcairn.docs.update=true} to re-render the README after changing a source.
 */
class ContractDocTest {
    private static final Path README = Path.of(System.getProperty("basedir", ".")).resolve("README.md");

    @Test
    void generatedSectionsMatchTheirSources() throws IOException {
        String readme = Files.readString(README);
        if (Boolean.getBoolean("cairn.docs.update")) {
            readme = ContractDoc.regenerate(readme);
            Files.writeString(README, readme);
        }

        for (Map.Entry<String, String> section : ContractDoc.sections(readme)) {
            assertThat(section.getValue())
                    .as("README section '%s' is stale: run the tests with -Dcairn.docs.update=true", section.getKey())
                    .isEqualTo(ContractDoc.render(section.getKey()));
        }
    }

    @Test
    void showsEveryExampleExactlyOnce() throws IOException {
        List<String> shown = keys().stream().filter(k -> k.startsWith(ContractDoc.EXAMPLE_PREFIX))
                .map(k -> k.substring(ContractDoc.EXAMPLE_PREFIX.length())).toList();

        assertThat(shown).containsExactlyInAnyOrderElementsOf(Examples.all());
    }

    @Test
    void hasTheTopicErrorSchemaAndLimitTables() throws IOException {
        assertThat(keys()).contains(ContractDoc.TOPICS, ContractDoc.ERRORS, ContractDoc.SCHEMAS, ContractDoc.LIMITS);
    }

    @Test
    void namesEveryReservedNamespace() throws IOException {
        String readme = Files.readString(README);

        for (String prefix : ReservedNames.PREFIXES) {
            assertThat(readme).contains("`" + prefix + "`");
        }
    }

    @Test
    void documentsEveryHeader() throws IOException {
        String readme = Files.readString(README);

        assertThat(readme).contains(CloudEventHeaders.SPECVERSION, CloudEventHeaders.ID, CloudEventHeaders.TYPE,
                CloudEventHeaders.SOURCE, CloudEventHeaders.SUBJECT, CloudEventHeaders.TIME,
                CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.CHECKPOINT_SERVICE_SOURCE,
                CloudEventHeaders.BACKUP_SERVICE_SOURCE);
        assertThat(readme).contains(DeadLetterHeaders.REASON, DeadLetterHeaders.CAUSE, DeadLetterHeaders.TOPIC,
                DeadLetterHeaders.PARTITION, DeadLetterHeaders.OFFSET);
    }

    private static List<String> keys() throws IOException {
        return ContractDoc.sections(Files.readString(README)).stream().map(Map.Entry::getKey).toList();
    }
}
