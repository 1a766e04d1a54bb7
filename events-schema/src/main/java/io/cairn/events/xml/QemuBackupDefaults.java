package io.cairn.events.xml;

import io.cairn.events.command.ReservedNames;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.DiskBackupMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The defaults libvirt's QEMU driver adds when a pull backup starts (not part of alignment, hence absent
 * from libvirt's xml2xml outputs): NBD export names and the exported dirty-bitmap names, which
 * {@code BackupGetXMLDesc} then shows.
 */
public final class QemuBackupDefaults {

    private QemuBackupDefaults() {
    }

    /** Export name = disk target; export bitmap of an incremental disk = {@code backup-<target>}. */
    public static BackupDefinition applyPullExportDefaults(BackupDefinition definition) {
        if (definition.mode() != BackupMode.PULL || definition.disks() == null) {
            return definition;
        }
        List<BackupDisk> disks = new ArrayList<>(definition.disks().size());
        for (BackupDisk disk : definition.disks()) {
            if (Boolean.FALSE.equals(disk.backup())) {
                disks.add(disk);
                continue;
            }
            String exportName = disk.exportname() == null ? disk.name() : disk.exportname();
            String exportBitmap = disk.exportbitmap();
            if (exportBitmap == null && disk.backupmode() == DiskBackupMode.INCREMENTAL) {
                exportBitmap = ReservedNames.defaultExportBitmap(disk.name());
            }
            disks.add(new BackupDisk(disk.name(), disk.backup(), disk.backupmode(), disk.incremental(), exportName,
                    exportBitmap, disk.store(), disk.state()));
        }
        return new BackupDefinition(definition.mode(), definition.incremental(), definition.server(), disks);
    }
}
