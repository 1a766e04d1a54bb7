package io.cairn.events.xml;

import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import io.cairn.events.model.DiskSourceType;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * libvirt's {@code virDomainBackupAlignDisks(def, domain, suffix)}: checks the requested disks against
 * the domain, invents missing store file names, adds every unlisted disk, and settles each disk's
 * backup mode, so the plan is complete before any QMP is issued.
 */
public final class BackupAlignment {

    private BackupAlignment() {
    }

    /**
     * @param suffix appended to a disk's source path to name a generated store: the new checkpoint's name,
     *               or the current Unix time when the backup creates no checkpoint
     */
    public static BackupDefinition align(BackupDefinition definition, DomainDisks domain, String suffix) {
        if (domain.size() == 0) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                    "domain must have at least one disk to perform backup");
        }
        List<BackupDisk> requested = definition.disks() == null ? List.of() : definition.disks();
        List<BackupDisk> disks = new ArrayList<>(domain.size());
        Set<String> listed = new HashSet<>();
        for (BackupDisk disk : requested) {
            DomainDiskInfo domainDisk = domain.byTarget(disk.name()).orElseThrow(() -> XmlErrors.of(
                    VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "no disk named '" + disk.name() + "'"));
            if (!listed.add(disk.name())) {
                throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "disk '" + disk.name() + "' specified twice");
            }
            if (disk.backupmode() == DiskBackupMode.INCREMENTAL && disk.incremental() == null
                    && definition.incremental() == null) {
                throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "'incremental' backup mode of disk '"
                        + disk.name() + "' requires setting 'incremental' field for disk or backup");
            }
            disks.add(isSelected(disk) ? withStore(disk, assignStore(disk, domainDisk, suffix)) : disk);
        }

        // Without <disks>, every disk with media that the guest can write is backed up.
        boolean backupAll = requested.isEmpty();
        for (DomainDiskInfo domainDisk : domain.disks()) {
            if (listed.contains(domainDisk.target())) {
                continue;
            }
            if (backupAll && !domainDisk.empty() && !domainDisk.readonly()) {
                BackupDisk selected = new BackupDisk(domainDisk.target(), true, null, null, null, null, null, null);
                disks.add(withStore(selected, assignStore(selected, domainDisk, suffix)));
            } else {
                disks.add(new BackupDisk(domainDisk.target(), false, null, null, null, null, null, null));
            }
        }

        List<BackupDisk> settled = new ArrayList<>(disks.size());
        for (BackupDisk disk : disks) {
            settled.add(isSelected(disk) ? settleMode(disk, definition.incremental()) : disk);
        }
        return new BackupDefinition(definition.mode(), definition.incremental(), definition.server(), settled);
    }

    private static boolean isSelected(BackupDisk disk) {
        return disk.backup() == null || disk.backup();
    }

    /** A store without a path gets {@code <source path>.<suffix>}, which only makes sense for file sources. */
    private static BackupStore assignStore(BackupDisk disk, DomainDiskInfo domainDisk, String suffix) {
        BackupStore store = disk.store();
        if (domainDisk.empty()) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "disk '" + disk.name() + "' has no media");
        }
        if (store != null && store.path() != null) {
            return store;
        }
        if (domainDisk.sourceType() != DiskSourceType.FILE) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                    "refusing to generate file name for disk '" + disk.name() + "'");
        }
        String path = domainDisk.sourcePath() + "." + suffix;
        return store == null
                ? new BackupStore("file", path, null, null, null)
                : new BackupStore("file", path, store.format(), store.seclabels(), store.encryption());
    }

    /** Mode defaults to incremental when any checkpoint is named, and inherits the backup's checkpoint. */
    private static BackupDisk settleMode(BackupDisk disk, String backupIncremental) {
        DiskBackupMode mode = disk.backupmode();
        if (mode == null) {
            mode = backupIncremental != null || disk.incremental() != null
                    ? DiskBackupMode.INCREMENTAL : DiskBackupMode.FULL;
        }
        String incremental = disk.incremental();
        if (incremental == null && mode == DiskBackupMode.INCREMENTAL) {
            incremental = backupIncremental;
        }
        return new BackupDisk(disk.name(), true, mode, incremental, disk.exportname(), disk.exportbitmap(),
                disk.store(), disk.state());
    }

    private static BackupDisk withStore(BackupDisk disk, BackupStore store) {
        return new BackupDisk(disk.name(), true, disk.backupmode(), disk.incremental(), disk.exportname(),
                disk.exportbitmap(), store, disk.state());
    }
}
