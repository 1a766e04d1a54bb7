package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.error.VirErrorCode;
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
    void ignoresFieldsFromANewerContract() {
        Command command = reader.read("vm-1", bytes("""
                {"type":"backup.abort","commandId":"c-1","domain":"vm-1","reason":"window closed"}
                """));

        assertThat(command).isEqualTo(new BackupAbortCommand("c-1", "vm-1"));
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
