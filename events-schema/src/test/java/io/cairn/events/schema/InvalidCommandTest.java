package io.cairn.events.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.InvalidCommandException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.json.CairnJson;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands the contract forbids are refused by both the JSON Schema (what users validate against) and
 * {@link CommandReader} (what Cairn's services run), so the two cannot drift apart.
 */
class InvalidCommandTest {
    private static final String CREATE = "\"type\":\"checkpoint.create\",\"commandId\":\"c-1\",\"domain\":\"vm-1\"";
    private static final String DELETE = "\"type\":\"checkpoint.delete\",\"commandId\":\"c-1\",\"domain\":\"vm-1\"";
    private static final String BEGIN = "\"type\":\"backup.begin\",\"commandId\":\"c-1\",\"domain\":\"vm-1\"";

    static Stream<Arguments> invalidCommands() {
        return Stream.of(
                Arguments.of("empty commandId", "{\"type\":\"backup.abort\",\"commandId\":\"\",\"domain\":\"vm-1\"}"),
                Arguments.of("blank in commandId", "{\"type\":\"backup.abort\",\"commandId\":\"a b\",\"domain\":\"vm-1\"}"),
                Arguments.of("no commandId", "{\"type\":\"backup.abort\",\"domain\":\"vm-1\"}"),
                Arguments.of("slash in domain", "{\"type\":\"backup.abort\",\"commandId\":\"c-1\",\"domain\":\"a/b\"}"),
                Arguments.of("no domain", "{\"type\":\"backup.abort\",\"commandId\":\"c-1\"}"),
                Arguments.of("both XML and JSON checkpoint", "{" + CREATE
                        + ",\"checkpointXml\":\"<domaincheckpoint/>\",\"checkpoint\":{}}"),
                Arguments.of("no checkpoint at all", "{" + CREATE + "}"),
                Arguments.of("XML of the wrong kind", "{" + CREATE + ",\"checkpointXml\":\"<domainbackup/>\"}"),
                Arguments.of("REDEFINE_VALIDATE without REDEFINE", "{" + CREATE
                        + ",\"checkpoint\":{\"name\":\"cp\"},\"flags\":[\"REDEFINE_VALIDATE\"]}"),
                Arguments.of("REDEFINE with QUIESCE", "{" + CREATE
                        + ",\"checkpoint\":{\"name\":\"cp\"},\"flags\":[\"REDEFINE\",\"QUIESCE\"]}"),
                Arguments.of("unknown flag", "{" + CREATE + ",\"checkpoint\":{},\"flags\":[\"FORCE\"]}"),
                Arguments.of("bad checkpoint name", "{" + CREATE + ",\"checkpoint\":{\"name\":\"../cp\"}}"),
                Arguments.of("checkpoint disk without name", "{" + CREATE
                        + ",\"checkpoint\":{\"disks\":[{\"checkpoint\":\"bitmap\"}]}}"),
                Arguments.of("unknown disk checkpoint mode", "{" + CREATE
                        + ",\"checkpoint\":{\"disks\":[{\"name\":\"vda\",\"checkpoint\":\"maybe\"}]}}"),
                Arguments.of("delete without checkpoint", "{" + DELETE + "}"),
                Arguments.of("CHILDREN with CHILDREN_ONLY", "{" + DELETE
                        + ",\"checkpoint\":\"cp\",\"flags\":[\"CHILDREN\",\"CHILDREN_ONLY\"]}"),
                Arguments.of("backup neither XML nor JSON", "{" + BEGIN + "}"),
                Arguments.of("pull without server", "{" + BEGIN + ",\"backup\":{\"mode\":\"pull\"}}"),
                Arguments.of("unknown backup mode", "{" + BEGIN + ",\"backup\":{\"mode\":\"copy\"}}"),
                Arguments.of("relative target path", "{" + BEGIN
                        + ",\"backup\":{\"disks\":[{\"name\":\"vda\",\"store\":{\"path\":\"vda.qcow2\"}}]}}"),
                Arguments.of("port out of range", "{" + BEGIN
                        + ",\"backup\":{\"mode\":\"pull\",\"server\":{\"name\":\"h\",\"port\":70000}}}"),
                Arguments.of("XML element name only as a prefix", "{" + CREATE
                        + ",\"checkpointXml\":\"<domaincheckpoints/>\"}"),
                Arguments.of("backup disk without name", "{" + BEGIN + ",\"backup\":{\"disks\":[{\"backup\":true}]}}"),
                Arguments.of("two checkpoint forms with a backup", "{" + BEGIN
                        + ",\"backup\":{},\"checkpointXml\":\"<domaincheckpoint/>\",\"checkpoint\":{}}"),
                Arguments.of("unknown command type", "{\"type\":\"checkpoint.rename\",\"commandId\":\"c-1\",\"domain\":\"vm-1\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCommands")
    void schemaRefusesIt(String name, String json) throws Exception {
        JsonNode command = CairnJson.mapper().readTree(json);
        String type = command.path("type").asText();
        String schema = SchemaResources.COMMAND_TYPES.contains(type)
                ? SchemaResources.commandSchema(type)
                : SchemaResources.commandSchema("backup.abort");

        assertThat(SchemaValidation.LENIENT.errors(schema, command)).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCommands")
    void readerRefusesItWithLibvirtErrorAndKeepsTheCommandIdentity(String name, String json) throws Exception {
        JsonNode command = CairnJson.mapper().readTree(json);

        InvalidCommandException error = catchThrowableOfType(InvalidCommandException.class,
                () -> new CommandReader().read("vm-1", json.getBytes(StandardCharsets.UTF_8)));

        assertThat(error.code()).isIn(VirErrorCode.VIR_ERR_INVALID_ARG, VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED);
        assertThat(error.commandType()).isEqualTo(command.path("type").asText());
        assertThat(error.commandId()).isEqualTo(command.has("commandId") ? command.get("commandId").asText() : null);
    }
}
