package io.cairn.events.command;

import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;

/**
 * The rules on a user's checkpoint and backup definitions that hold whichever form they came in: {@link
 * Command#validate()} applies them to the JSON forms, the services to the XML forms once parsed, so a name or a size
 * refused in one form is refused in the other.
 */
public final class DefinitionRules {
    private DefinitionRules() {
    }

    /**
     * Reserved names and stored sizes of a checkpoint to create or redefine.
     *
     * @param source the command field it came from ({@code checkpoint} or {@code checkpointXml}), for the message
     * @throws io.cairn.events.error.CairnException VIR_ERR_INVALID_ARG naming the field
     */
    public static void checkCheckpoint(String source, CheckpointDefinition checkpoint) {
        boolean xml = source.endsWith("Xml");
        CommandLimits.requireField(part(source, xml, "description"), checkpoint.description(),
                CommandLimits.MAX_DESCRIPTION_BYTES);
        CommandLimits.requireField(xml ? source + " <domain>" : source + ".domainXml", checkpoint.domainXml(),
                CommandLimits.MAX_DOMAIN_XML_BYTES);
        if (checkpoint.name() != null) {
            ReservedNames.requireUnreserved(part(source, xml, "name"), checkpoint.name());
        }
        if (checkpoint.disks() != null) {
            for (CheckpointDisk disk : checkpoint.disks()) {
                if (disk != null && disk.bitmap() != null) {
                    ReservedNames.requireUnreserved(source + " disk " + Identifiers.shown(disk.name()) + " bitmap",
                            disk.bitmap());
                }
            }
        }
    }

    /**
     * Reserved names of a backup to begin (its export bitmaps).
     *
     * @throws io.cairn.events.error.CairnException VIR_ERR_INVALID_ARG naming the disk
     */
    public static void checkBackup(BackupDefinition backup) {
        if (backup.disks() != null) {
            for (BackupDisk disk : backup.disks()) {
                if (disk != null && disk.exportbitmap() != null) {
                    ReservedNames.requireUsableExportBitmap(disk.name(), disk.exportbitmap());
                }
            }
        }
    }

    /** {@code checkpoint.name} in JSON, {@code checkpointXml <name>} in XML. */
    private static String part(String source, boolean xml, String name) {
        return xml ? source + " <" + name + ">" : source + "." + name;
    }
}
