package io.cairn.events.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.CheckpointDefinition;
import java.util.Set;

/**
 * Starts a push or pull backup, optionally creating a checkpoint at the same instant: {@code virDomainBackupBegin}.
 *
 * @param backupXml     the backup as a libvirt {@code <domainbackup>} document; or
 * @param backup        the backup as JSON
 * @param checkpointXml optional checkpoint to create with the backup, as {@code <domaincheckpoint>}; or
 * @param checkpoint    the same as JSON
 * @param flags         libvirt's backup-begin flags; empty for none
 */
public record BackupBeginCommand(
        String commandId,
        String domain,
        String backupXml,
        BackupDefinition backup,
        String checkpointXml,
        CheckpointDefinition checkpoint,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<BackupBeginFlag> flags) implements Command {

    public static final String TYPE = "backup.begin";

    public BackupBeginCommand {
        flags = FlagSets.copyOf(BackupBeginFlag.class, flags);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate() {
        Identifiers.requireCommon(this);
        DefinitionChecks.requireExactlyOne("backupXml", backupXml, "backup", backup);
        if (backupXml != null) {
            DefinitionChecks.requireXmlElement("backupXml", backupXml, "domainbackup",
                    CommandLimits.MAX_BACKUP_XML_BYTES);
        } else {
            DefinitionChecks.checkBackup(backup);
        }
        Identifiers.require(checkpointXml == null || checkpoint == null, "give at most one of checkpointXml and checkpoint");
        if (checkpointXml != null) {
            DefinitionChecks.requireXmlElement("checkpointXml", checkpointXml, "domaincheckpoint",
                    CommandLimits.MAX_CHECKPOINT_XML_BYTES);
        } else if (checkpoint != null) {
            DefinitionChecks.checkCheckpoint(checkpoint);
        }
        // Last: each field's own limit names the field, this one bounds what no field limit covers (disks, paths).
        CommandLimits.requireEncodedSize(this);
    }
}
