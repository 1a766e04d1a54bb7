package io.cairn.events.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.events.json.CairnJson;
import org.junit.jupiter.api.Test;

/** The test harness itself: the shipped schemas stay open to new fields, the strict copy does not. */
class SchemaValidationTest {

    private static ObjectNode abort() {
        return CairnJson.mapper().createObjectNode()
                .put("type", "backup.abort").put("commandId", "c-1").put("domain", "vm-1");
    }

    @Test
    void shippedSchemasAcceptFieldsAddedByANewerVersion() {
        ObjectNode newer = abort().put("reason", "maintenance window closed");

        assertThat(SchemaValidation.LENIENT.errors(newer)).isEmpty();
    }

    @Test
    void strictCopyRejectsUndeclaredFields() {
        ObjectNode newer = abort().put("reason", "maintenance window closed");

        assertThat(SchemaValidation.STRICT.errors(newer)).singleElement().asString().contains("reason");
    }

    @Test
    void strictCopyRejectsUndeclaredFieldsInSharedDefinitions() {
        ObjectNode created = (ObjectNode) SchemaValidation.readResource("io/cairn/events/examples/event/checkpoint-created.json");
        ((ObjectNode) created.get("checkpoint")).put("colour", "blue");

        assertThat(SchemaValidation.LENIENT.errors(created)).isEmpty();
        assertThat(SchemaValidation.STRICT.errors(created)).singleElement().asString().contains("colour");
    }

    @Test
    void formatsAreAsserted() {
        ObjectNode progress = (ObjectNode) SchemaValidation.readResource("io/cairn/events/examples/event/backup-progress-push.json");
        progress.put("time", "yesterday");

        assertThat(SchemaValidation.LENIENT.errors(progress)).singleElement().asString().contains("time");
    }
}
