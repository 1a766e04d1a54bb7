package io.cairn.agent.restore;

import static io.cairn.agent.restore.ChainLink.invalid;

import io.cairn.agent.backup.BackupNames;
import java.util.List;

/**
 * One disk of a restore point: its chain of artifacts, full first, and the NBD export name it is served under, so
 * several disks of one domain share one daemon and one socket.
 *
 * @param disk           the disk's target name, e.g. {@code vda}
 * @param exportName     the NBD export name; the disk's name when null
 * @param chainFullFirst the full backup, then each incremental in the order they were taken; the last is the point
 */
public record DiskChain(String disk, String exportName, List<ChainLink> chainFullFirst) {

    public DiskChain {
        if (!BackupNames.isUsableDiskName(disk)) {
            throw invalid("disk name '" + disk + "' is not a usable disk name");
        }
        exportName = exportName == null ? disk : exportName;
        // Also the URI's path: plain characters keep it a valid URI without escaping.
        if (!BackupNames.isUsableJobId(exportName)) {
            throw invalid("NBD export name '" + exportName + "' must match [A-Za-z0-9][A-Za-z0-9._-]*");
        }
        if (chainFullFirst == null || chainFullFirst.isEmpty()) {
            throw invalid("the chain of disk '" + disk + "' has no artifact");
        }
        chainFullFirst = List.copyOf(chainFullFirst);
        for (int i = 1; i < chainFullFirst.size(); i++) {
            if (!ChainLink.QCOW2.equals(chainFullFirst.get(i).format())) {
                throw invalid("link %d of disk '%s' ('%s') is %s; an incremental must be qcow2"
                        .formatted(i + 1, disk, chainFullFirst.get(i).path(), chainFullFirst.get(i).format()));
            }
        }
    }

    /** The disk exported under its own name. */
    public static DiskChain of(String disk, List<ChainLink> chainFullFirst) {
        return new DiskChain(disk, null, chainFullFirst);
    }
}
