package io.cairn.events.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.CommandReader;
import io.cairn.events.command.InvalidCommandException;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A rejection names the command as the sender sent it and carries libvirt's error unchanged. */
class CommandRejectedEventTest {

    @Test
    void rejectionOfAReadableCommand() {
        BackupAbortCommand command = new BackupAbortCommand("c-1", "vm-1");

        CommandRejectedEvent event = CommandRejectedEvent.of(command,
                new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "no backup running"));

        assertThat(event.commandId()).isEqualTo("c-1");
        assertThat(event.commandType()).isEqualTo("backup.abort");
        assertThat(event.domain()).isEqualTo("vm-1");
        assertThat(event.error()).isEqualTo(new ErrorInfo("VIR_ERR_NO_DOMAIN_BACKUP", 104, "no backup running"));
        assertThat(event.eventId()).isNotBlank();
        assertThat(event.time()).isNotNull();
    }

    @Test
    void rejectionOfAnUnreadableRecordFallsBackToTheKeyForTheDomain() {
        InvalidCommandException error = catchThrowableOfType(InvalidCommandException.class,
                () -> new CommandReader().read("vm-7", "not json".getBytes(StandardCharsets.UTF_8)));

        CommandRejectedEvent event = CommandRejectedEvent.of(error, "vm-7");

        assertThat(event.domain()).isEqualTo("vm-7");
        assertThat(event.commandId()).isNull();
        assertThat(event.error().code()).isEqualTo("VIR_ERR_INVALID_ARG");
        assertThat(event.error().number()).isEqualTo(8);
    }

    @Test
    void eachRejectionIsADistinctEvent() {
        BackupAbortCommand command = new BackupAbortCommand("c-1", "vm-1");
        CairnException error = new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "no backup running");

        assertThat(CommandRejectedEvent.of(command, error).eventId())
                .isNotEqualTo(CommandRejectedEvent.of(command, error).eventId());
    }
}
