package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.CheckpointDefinition;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** validate() refuses what libvirt would refuse before touching the domain, with libvirt's VIR_ERR_INVALID_ARG. */
class CommandValidationTest {
    private static final CheckpointDefinition CHECKPOINT = new CheckpointDefinition("cp-1", null, null, null, null, null);

    @Test
    void acceptsAPlainCreate() {
        assertThatCode(() -> new CheckpointCreateCommand("c-1", "vm-1", null, CHECKPOINT, null).validate())
                .doesNotThrowAnyException();
    }

    @Test
    void refusesRedefineValidateWithoutRedefine() {
        CheckpointCreateCommand command = new CheckpointCreateCommand("c-1", "vm-1", null, CHECKPOINT,
                Set.of(CheckpointCreateFlag.REDEFINE_VALIDATE));

        assertThat(invalidArg(command)).hasMessage("Flag 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' is required by flag "
                + "'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE'");
    }

    @Test
    void acceptsRedefineValidateWithRedefine() {
        CheckpointCreateCommand command = new CheckpointCreateCommand("c-1", "vm-1", null, CHECKPOINT,
                Set.of(CheckpointCreateFlag.REDEFINE, CheckpointCreateFlag.REDEFINE_VALIDATE));

        assertThatCode(command::validate).doesNotThrowAnyException();
    }

    @Test
    void refusesQuiesceWithRedefine() {
        CheckpointCreateCommand command = new CheckpointCreateCommand("c-1", "vm-1", null, CHECKPOINT,
                Set.of(CheckpointCreateFlag.REDEFINE, CheckpointCreateFlag.QUIESCE));

        assertThat(invalidArg(command)).hasMessage("Flags 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' and "
                + "'VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE' are mutually exclusive");
    }

    @Test
    void refusesChildrenWithChildrenOnly() {
        CheckpointDeleteCommand command = new CheckpointDeleteCommand("c-1", "vm-1", "cp-1",
                Set.of(CheckpointDeleteFlag.CHILDREN, CheckpointDeleteFlag.CHILDREN_ONLY));

        assertThat(invalidArg(command)).hasMessage("Flags 'VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN' and "
                + "'VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY' are mutually exclusive");
    }

    @Test
    void refusesAPullBackupWithoutServer() {
        BackupBeginCommand command = new BackupBeginCommand("c-1", "vm-1", null,
                new BackupDefinition(BackupMode.PULL, null, null, null), null, null, null);

        assertThat(invalidArg(command)).hasMessageContaining("pull backup needs a server");
    }

    @Test
    void acceptsAPullBackupWithServer() {
        BackupBeginCommand command = new BackupBeginCommand("c-1", "vm-1", null,
                new BackupDefinition(BackupMode.PULL, "cp-1", new BackupServer("unix", null, null, "/run/b.sock", null, null),
                        null), null, CHECKPOINT, null);

        assertThatCode(command::validate).doesNotThrowAnyException();
    }

    @Test
    void refusesDomainNamesThatCannotBeKeysOrPaths() {
        assertThat(invalidArg(new BackupAbortCommand("c-1", "../etc"))).hasMessageContaining("domain name");
        assertThat(invalidArg(new BackupAbortCommand("c-1", ""))).hasMessageContaining("domain name");
        assertThat(invalidArg(new BackupAbortCommand("c-1", null))).hasMessageContaining("domain name");
    }

    @Test
    void acceptsUsualDomainNames() {
        for (String name : new String[] {"web-01", "db.example.com", "instance-0000a1f3", "win10_x64", "a"}) {
            assertThat(Identifiers.isDomainName(name)).as(name).isTrue();
        }
    }

    @Test
    void refusesBlankOrOverlongCommandIds() {
        assertThat(invalidArg(new BackupAbortCommand(" ", "vm-1"))).hasMessageContaining("commandId");
        assertThat(invalidArg(new BackupAbortCommand("x".repeat(257), "vm-1"))).hasMessageContaining("commandId");
        assertThatCode(() -> new BackupAbortCommand("x".repeat(256), "vm-1").validate()).doesNotThrowAnyException();
    }

    @Test
    void refusesNullFlags() {
        Set<CheckpointCreateFlag> withNull = new HashSet<>();
        withNull.add(null);

        CairnException error = catchThrowableOfType(CairnException.class,
                () -> new CheckpointCreateCommand("c-1", "vm-1", null, CHECKPOINT, withNull));

        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
    }

    private static CairnException invalidArg(Command command) {
        CairnException error = catchThrowableOfType(CairnException.class, command::validate);
        assertThat(error).as("validate() should refuse %s", command).isNotNull();
        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        return error;
    }
}
