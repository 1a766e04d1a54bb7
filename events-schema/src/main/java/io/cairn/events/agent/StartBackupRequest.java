package io.cairn.events.agent;

import io.cairn.events.model.BackupDefinition;
import java.util.List;

/**
 * Starts a backup job whose definition the service already aligned (every disk, target or scratch path, export
 * names filled in), optionally adding a new checkpoint's bitmaps in the same QMP transaction.
 *
 * @param jobId                  the backup-service's job id; every job report carries it
 * @param backup                 the aligned definition
 * @param checkpointBitmaps      bitmaps of the checkpoint created with the backup; empty for none
 * @param reuseExternal          libvirt's REUSE_EXTERNAL: targets/scratch exist and must not be created or deleted
 */
public record StartBackupRequest(String requestId, String hostId, String domain, String jobId,
        BackupDefinition backup, List<DiskBitmap> checkpointBitmaps, boolean reuseExternal) implements AgentRequest {
    public static final String TYPE = "backup.start";

    public StartBackupRequest {
        checkpointBitmaps = checkpointBitmaps == null ? List.of() : List.copyOf(checkpointBitmaps);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
