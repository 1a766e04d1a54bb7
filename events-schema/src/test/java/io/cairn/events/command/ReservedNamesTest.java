package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.xml.BackupXml;
import io.cairn.events.xml.CheckpointParseFlag;
import io.cairn.events.xml.CheckpointXml;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names in the namespaces of the host agent's and libvirt's own bitmaps (which the agent deletes when idle) are refused
 * as checkpoint, bitmap and export bitmap names, in the JSON and the XML forms alike.
 */
class ReservedNamesTest {
    private static final BackupServer SERVER = new BackupServer("tcp", "localhost", 10809, null, null, null);

    @ParameterizedTest
    @ValueSource(strings = {"backup-nightly", "backup-vda", "libvirt-tmp-size-xml", "libvirt-tmp-x"})
    void aReservedCheckpointNameIsRefusedInBothCommandsThatCreateOne(String name) {
        CheckpointDefinition checkpoint = new CheckpointDefinition(name, null, null, null, null, null);

        CairnException create = refused(new CheckpointCreateCommand("c-1", "vm-1", null, checkpoint, null));
        CairnException begin = refused(new BackupBeginCommand("c-1", "vm-1", "<domainbackup/>", null, null,
                checkpoint, null));

        assertThat(create).hasMessage("checkpoint.name '" + name + "' is reserved: names starting with 'backup-' or "
                + "'libvirt-tmp-' belong to the temporary bitmaps of Cairn's host agent and libvirt, which the agent "
                + "deletes");
        assertThat(begin).hasMessage(create.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "backups-1", "nightly-backup-1", "libvirt-tmp", "Backup-1", "cp-backup-"})
    void namesOnlyResemblingThemAreUsersToTake(String name) {
        CheckpointDefinition checkpoint = new CheckpointDefinition(name, null, null, null, null, null);

        assertThatCode(() -> new CheckpointCreateCommand("c-1", "vm-1", null, checkpoint, null).validate())
                .doesNotThrowAnyException();
    }

    @Test
    void aRedefinedDiskBitmapInTheNamespaceIsRefused() {
        CheckpointDefinition checkpoint = new CheckpointDefinition("cp-1", null, null, 1L,
                List.of(new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "backup-vda", null)), null);

        assertThat(refused(new CheckpointCreateCommand("c-1", "vm-1", null, checkpoint,
                Set.of(CheckpointCreateFlag.REDEFINE)))).hasMessageStartingWith("checkpoint disk vda bitmap 'backup-vda' "
                + "is reserved");
    }

    @Test
    void theXmlFormIsRefusedOnceParsed() {
        CheckpointDefinition created = new CheckpointXml().parse(
                "<domaincheckpoint><name>libvirt-tmp-1</name></domaincheckpoint>");
        CheckpointDefinition redefined = new CheckpointXml().parse("<domaincheckpoint><name>cp-1</name><creationTime>1"
                + "</creationTime><disks><disk name='vda' bitmap='backup-x'/></disks></domaincheckpoint>",
                CheckpointParseFlag.REDEFINE);

        assertThat(catchThrowableOfType(CairnException.class,
                () -> DefinitionRules.checkCheckpoint("checkpointXml", created)))
                .hasMessageStartingWith("checkpointXml <name> 'libvirt-tmp-1' is reserved");
        assertThat(catchThrowableOfType(CairnException.class,
                () -> DefinitionRules.checkCheckpoint("checkpointXml", redefined)))
                .hasMessageStartingWith("checkpointXml disk vda bitmap 'backup-x' is reserved");
    }

    @Test
    void aPullBackupMayNameItsExportBitmapButNotInTheNamespace() {
        CairnException refused = refused(pull("vda", "libvirt-tmp-size-xml"));
        BackupDefinition fromXml = new BackupXml().parse("<domainbackup mode='pull'><server name='localhost' "
                + "port='10809'/><disks><disk name='vda' exportbitmap='backup-vdb'/></disks></domainbackup>");

        assertThat(refused).hasMessage("disk vda: exportbitmap 'libvirt-tmp-size-xml' is reserved: names starting "
                + "with 'backup-' or 'libvirt-tmp-' belong to the temporary bitmaps of Cairn's host agent and libvirt "
                + "(only 'backup-vda', the default, may be given)");
        assertThat(catchThrowableOfType(CairnException.class, () -> DefinitionRules.checkBackup(fromXml)))
                .hasMessageStartingWith("disk vda: exportbitmap 'backup-vdb' is reserved");
        assertThatCode(() -> pull("vda", "changes-since-monday").validate()).doesNotThrowAnyException();
    }

    @Test
    void theDefaultExportBitmapLibvirtShowsMayBeSentBackUnchanged() {
        // backup-started and GET .../backup show exportbitmap='backup-vda'; resubmitting that document must work.
        assertThatCode(() -> pull("vda", "backup-vda").validate()).doesNotThrowAnyException();
        assertThat(ReservedNames.defaultExportBitmap("vda")).isEqualTo("backup-vda");
    }

    @Test
    void aCheckpointAlreadyNamedSoCanStillBeDeleted() {
        // One created before the rule existed must not be stuck in the lineage.
        assertThatCode(() -> new CheckpointDeleteCommand("c-1", "vm-1", "backup-old", null).validate())
                .doesNotThrowAnyException();
    }

    private static BackupBeginCommand pull(String disk, String exportBitmap) {
        return new BackupBeginCommand("c-1", "vm-1", null, new BackupDefinition(BackupMode.PULL, "cp-1", SERVER,
                List.of(new BackupDisk(disk, null, null, null, null, exportBitmap, null, null))), null, null, null);
    }

    private static CairnException refused(Command command) {
        CairnException error = catchThrowableOfType(CairnException.class, command::validate);
        assertThat(error).as("refused").isNotNull();
        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        return error;
    }
}
