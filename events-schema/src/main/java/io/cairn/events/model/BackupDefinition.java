package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A backup definition, the JSON twin of libvirt's {@code <domainbackup>}.
 *
 * @param mode        push (default) or pull
 * @param incremental the checkpoint every disk starts from unless a disk says otherwise
 * @param server      pull only: the NBD server
 * @param disks       per-disk plan; null on input means every writable disk
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupDefinition(BackupMode mode, String incremental, BackupServer server, List<BackupDisk> disks) {
    public BackupDefinition {
        disks = disks == null ? null : List.copyOf(disks);
    }
}
