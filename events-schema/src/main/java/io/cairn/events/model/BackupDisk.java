package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One disk of a backup, as libvirt's {@code <domainbackup><disks><disk>}.
 *
 * @param name         disk target, e.g. {@code vda}
 * @param backup       false for {@code backup='no'}; null on input means yes
 * @param backupmode   full or incremental; defaulted by alignment
 * @param incremental  the checkpoint an incremental disk starts from
 * @param exportname   pull only: NBD export name (default: the disk name)
 * @param exportbitmap pull only: the dirty-bitmap context name (default: {@code backup-<disk>})
 * @param store        push target or pull scratch
 * @param state        per-disk job state; only in Cairn's status form, never on input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupDisk(
        String name,
        Boolean backup,
        DiskBackupMode backupmode,
        String incremental,
        String exportname,
        String exportbitmap,
        BackupStore store,
        String state) {
}
