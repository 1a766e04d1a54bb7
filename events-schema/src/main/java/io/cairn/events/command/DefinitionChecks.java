package io.cairn.events.command;

import static io.cairn.events.command.Identifiers.require;

import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import java.util.regex.Pattern;

/** The checks on the JSON forms of definitions that libvirt would otherwise only make deep inside the agent. */
final class DefinitionChecks {
    private DefinitionChecks() {
    }

    /** Exactly one of the XML and the JSON form: two would leave it unclear which one wins. */
    static void requireExactlyOne(String xmlField, String xml, String jsonField, Object json) {
        require(xml != null ^ json != null, "give exactly one of " + xmlField + " and " + jsonField);
    }

    /**
     * Only a sniff (the XML parser validates fully later): enough to catch the other document kind early. The size
     * comes first: the sniff and the parser then never see an oversized document.
     */
    static void requireXmlElement(String field, String xml, String element, int maxBytes) {
        CommandLimits.requireField(field, xml, maxBytes);
        boolean found = Pattern.compile("<" + element + "[\\s/>]").matcher(xml).find();
        require(found, field + " must be a <" + element + "> document");
    }

    static void checkCheckpoint(CheckpointDefinition checkpoint) {
        if (checkpoint.name() != null) {
            Identifiers.requireCheckpointName("checkpoint.name", checkpoint.name());
        }
        if (checkpoint.disks() != null) {
            for (CheckpointDisk disk : checkpoint.disks()) {
                require(disk != null && isText(disk.name()), "every checkpoint disk needs a name");
            }
        }
        DefinitionRules.checkCheckpoint("checkpoint", checkpoint);
    }

    static void checkBackup(BackupDefinition backup) {
        if (backup.incremental() != null) {
            Identifiers.requireCheckpointName("backup.incremental", backup.incremental());
        }
        // libvirt refuses a pull backup without an NBD server to export through.
        require(backup.mode() != BackupMode.PULL || backup.server() != null, "a pull backup needs a server");
        Integer port = backup.server() == null ? null : backup.server().port();
        require(port == null || port >= 1 && port <= 65535, "server port " + port + " is not a TCP port");
        if (backup.disks() != null) {
            for (BackupDisk disk : backup.disks()) {
                require(disk != null && isText(disk.name()), "every backup disk needs a name");
                if (disk.incremental() != null) {
                    Identifiers.requireCheckpointName("backup disk incremental", disk.incremental());
                }
                // libvirt resolves relative target and scratch paths against nothing useful: it refuses them.
                BackupStore store = disk.store();
                require(store == null || store.path() == null || store.path().startsWith("/"),
                        "disk " + disk.name() + ": store path must be absolute");
            }
        }
        DefinitionRules.checkBackup(backup);
    }

    private static boolean isText(String value) {
        return value != null && !value.isBlank();
    }
}
