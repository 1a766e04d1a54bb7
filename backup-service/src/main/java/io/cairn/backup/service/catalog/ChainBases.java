package io.cairn.backup.service.catalog;

import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.DiskBackupMode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * For a push job's incremental disks, the catalog's artifact that holds each disk at the incremental's base
 * checkpoint, so the agent can make it the new target's backing file instead of the live disk.
 */
public final class ChainBases {

    private ChainBases() {
    }

    /**
     * Disk name to artifact path: for each incremental disk of a push, the latest artifact of the same domain, host
     * and disk whose checkpoint is the disk's base. A disk with none (the base came from checkpoint-create, a pull,
     * a failed or another host's job) has no entry: the agent then makes its target unreadable alone.
     */
    public static Map<String, String> of(String domain, String hostId, BackupDefinition definition,
            List<Artifact> catalog) {
        if (definition == null || definition.mode() == BackupMode.PULL || definition.disks() == null) {
            return Map.of();
        }
        Map<String, String> bases = new HashMap<>();
        for (BackupDisk disk : definition.disks()) {
            if (Boolean.FALSE.equals(disk.backup()) || disk.backupmode() != DiskBackupMode.INCREMENTAL) {
                continue;
            }
            String base = disk.incremental() != null ? disk.incremental() : definition.incremental();
            if (base == null) {
                continue;
            }
            catalog.stream()
                    .filter(artifact -> artifact.mode() == BackupMode.PUSH && domain.equals(artifact.domain())
                            && Objects.equals(hostId, artifact.hostId()) && artifact.captures(disk.name(), base)
                            && artifact.path() != null)
                    .max(Comparator.comparing(Artifact::completedAt))
                    .ifPresent(artifact -> bases.put(disk.name(), artifact.path()));
        }
        return Map.copyOf(bases);
    }
}
