package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.CheckpointDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reader gives services either a valid command or everything needed to reject it under the sender's id. */
class CommandReaderTest {
    private final CommandReader reader = new CommandReader();

    @Test
    void readsAValidCommand() {
        Command command = reader.read("vm-1", bytes("""
                {"type":"checkpoint.delete","commandId":"c-1","domain":"vm-1","checkpoint":"cp-1","flags":["CHILDREN"]}
                """));

        assertThat(command).isEqualTo(new CheckpointDeleteCommand("c-1", "vm-1", "cp-1",
                Set.of(CheckpointDeleteFlag.CHILDREN)));
    }

    @Test
    void refusesAFieldTheCommandDoesNotDefineInsteadOfIgnoringIt() {
        // Ignored, the misspelt "flag" would turn this METADATA_ONLY delete into one that removes the bitmaps.
        InvalidCommandException error = refused("vm-1", """
                {"type":"checkpoint.delete","commandId":"c-1","domain":"vm-1","checkpoint":"cp-1","flag":["METADATA_ONLY"]}
                """);

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(error).hasMessage("unknown field 'flag' in checkpoint.delete command "
                + "(known there: checkpoint, commandId, domain, flags)");
        assertThat(error.commandId()).isEqualTo("c-1");
        assertThat(error.commandType()).isEqualTo("checkpoint.delete");
    }

    @Test
    void namesAnUnknownFieldInsideADefinitionByItsPath() {
        InvalidCommandException error = refused("vm-1", """
                {"type":"checkpoint.create","commandId":"c-2","domain":"vm-1",
                 "checkpoint":{"name":"cp-1","disks":[{"name":"vda"},{"name":"vdb","checkpiont":"no"}]}}
                """);

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(error).hasMessageStartingWith("unknown field 'checkpoint.disks[1].checkpiont' in checkpoint.create "
                + "command (known there: bitmap, checkpoint, name, size)");
    }

    @Test
    void aFieldFromANewerContractIsRefusedToo() {
        // A sender must not believe an older Cairn applied a field it does not know.
        InvalidCommandException error = refused("vm-1", """
                {"type":"backup.abort","commandId":"c-1","domain":"vm-1","reason":"window closed"}
                """);

        assertThat(error).hasMessageStartingWith("unknown field 'reason' in backup.abort command");
    }

    @Test
    void refusesARecordOverTheCommandLimitUnderItsCommandId() {
        String padding = "x".repeat(CommandLimits.MAX_COMMAND_BYTES);
        byte[] value = bytes("{\"type\":\"checkpoint.create\",\"commandId\":\"c-big\",\"domain\":\"vm-1\","
                + "\"checkpoint\":{\"name\":\"cp\",\"description\":\"" + padding + "\"}}");

        InvalidCommandException error = catchThrowableOfType(InvalidCommandException.class,
                () -> reader.read("vm-1", value));

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(error).hasMessage("the command is " + value.length + " bytes, more than the limit of "
                + CommandLimits.MAX_COMMAND_BYTES + " bytes");
        assertThat(error.commandId()).isEqualTo("c-big");
        assertThat(error.domain()).isEqualTo("vm-1");
    }

    @Test
    void eventsStillIgnoreFieldsFromANewerContract() throws Exception {
        CairnEvent event = CairnJson.mapper().readValue("""
                {"type":"checkpoint-deleted","eventId":"e-1","time":"2026-11-25T21:05:10Z","domain":"vm-1",
                 "checkpoints":["cp-1"],"metadataOnly":true,"shard":7}
                """, CairnEvent.class);

        assertThat(event).isInstanceOf(CheckpointDeletedEvent.class);
    }

    @Test
    void readsARestBodyAsStrictlyAsACommand() {
        CairnException unknown = catchThrowableOfType(CairnException.class, () -> reader.readPart("request body",
                "{\"name\":\"cp-1\",\"descripton\":\"nightly\"}", CheckpointDefinition.class));
        // Two bytes a character: the body is counted in UTF-8 bytes, as Kafka counts it.
        String large = "{\"description\":\"" + "é".repeat(CommandLimits.MAX_COMMAND_BYTES / 2) + "\"}";
        CairnException tooLarge = catchThrowableOfType(CairnException.class,
                () -> reader.readPart("request body", large, CheckpointDefinition.class));

        assertThat(unknown.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(unknown).hasMessageStartingWith("unknown field 'descripton' in request body (known there: ");
        assertThat(large.length()).isLessThan(CommandLimits.MAX_COMMAND_BYTES);
        assertThat(tooLarge).hasMessage("request body is " + bytes(large).length
                + " bytes, more than the limit of " + CommandLimits.MAX_COMMAND_BYTES + " bytes");
        assertThat(reader.readPart("request body", " ", CheckpointDefinition.class)).isNull();
        assertThat(reader.readPart("request body", "{\"name\":\"cp-1\"}", CheckpointDefinition.class))
                .isEqualTo(new CheckpointDefinition("cp-1", null, null, null, null, null));
    }

    @Test
    void refusesAKeyThatIsNotTheDomain() {
        InvalidCommandException error = refused("vm-2", """
                {"type":"backup.abort","commandId":"c-1","domain":"vm-1"}
                """);

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(error).hasMessageContaining("record key 'vm-2' differs from domain 'vm-1'");
        assertThat(error.commandId()).isEqualTo("c-1");
    }

    @Test
    void refusesAnUnknownTypeAsUnsupported() {
        InvalidCommandException error = refused("vm-1", """
                {"type":"snapshot.create","commandId":"c-1","domain":"vm-1"}
                """);

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED);
        assertThat(error.commandType()).isEqualTo("snapshot.create");
        assertThat(error.domain()).isEqualTo("vm-1");
    }

    @Test
    void refusesAValueThatIsNotJson() {
        InvalidCommandException error = refused("vm-1", "checkpoint please");

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(error.commandId()).isNull();
        assertThat(error).hasMessageStartingWith("record value is not JSON");
    }

    @Test
    void refusesJsonThatIsNotAnObject() {
        assertThat(refused("vm-1", "[1,2]")).hasMessage("record value is not a JSON object");
    }

    @Test
    void refusesAnEmptyValue() {
        InvalidCommandException error = catchThrowableOfType(InvalidCommandException.class, () -> reader.read("vm-1", null));

        assertThat(error).hasMessage("record value is not a JSON object");
    }

    @Test
    void reportsAWrongFieldTypeWithTheCommandIdentity() {
        InvalidCommandException error = refused("vm-1", """
                {"type":"checkpoint.create","commandId":"c-9","domain":"vm-1","checkpoint":{"creationTime":"yesterday"}}
                """);

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(error.commandId()).isEqualTo("c-9");
        assertThat(error.commandType()).isEqualTo("checkpoint.create");
        assertThat(error).hasMessageStartingWith("malformed checkpoint.create command");
    }

    private InvalidCommandException refused(String key, String json) {
        return catchThrowableOfType(InvalidCommandException.class, () -> reader.read(key, bytes(json)));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
