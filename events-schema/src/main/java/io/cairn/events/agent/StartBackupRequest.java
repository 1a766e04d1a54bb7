package io.cairn.events.agent;

import io.cairn.events.model.BackupDefinition;
import java.util.List;
import java.util.Map;

/**
 * Starts a backup job whose definition the service already aligned (every disk, target or scratch path, export
 * names filled in), optionally adding a new checkpoint's bitmaps in the same QMP transaction.
 *
 * @param jobId                  the backup-service's job id; every job report carries it
 * @param backup                 the aligned definition
 * @param checkpointBitmaps      bitmaps of the checkpoint created with the backup; empty for none
 * @param reuseExternal          libvirt's REUSE_EXTERNAL: targets/scratch exist and must not be created or deleted
 * @param chainBases             push only: per incremental disk, the catalog's artifact holding the disk at the
 *                               incremental's base checkpoint; the agent makes it the completed target's backing
 *                               file instead of the live disk. A disk without an entry gets a backing that cannot
 *                               be opened. Empty from services older than this field; agents older ignore it.
 */
public record StartBackupRequest(String requestId, String hostId, String domain, String jobId,
        BackupDefinition backup, List<DiskBitmap> checkpointBitmaps, boolean reuseExternal,
        Map<String, String> chainBases) implements AgentRequest {
    public static final String TYPE = "backup.start";

    public StartBackupRequest {
        checkpointBitmaps = checkpointBitmaps == null ? List.of() : List.copyOf(checkpointBitmaps);
        chainBases = chainBases == null ? Map.of() : Map.copyOf(chainBases);
    }

    /** A request without chain bases (pull, full, or a caller that knows no catalog). */
    public StartBackupRequest(String requestId, String hostId, String domain, String jobId,
            BackupDefinition backup, List<DiskBitmap> checkpointBitmaps, boolean reuseExternal) {
        this(requestId, hostId, domain, jobId, backup, checkpointBitmaps, reuseExternal, Map.of());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
