package io.cairn.agent.backup;

import io.cairn.events.agent.AbortBackupRequest;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.StartBackupRequest;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import java.nio.file.Path;
import java.util.List;

/** Builds the requests tests send, already aligned as the backup-service would send them. */
public final class Requests {

    private Requests() {
    }

    public static BackupDisk full(String disk, Path store) {
        return new BackupDisk(disk, null, DiskBackupMode.FULL, null, null, null, store(store), null);
    }

    public static BackupDisk incremental(String disk, String checkpoint, Path store) {
        return new BackupDisk(disk, null, DiskBackupMode.INCREMENTAL, checkpoint, null, null, store(store), null);
    }

    public static BackupStore store(Path path) {
        return new BackupStore("file", path.toString(), "qcow2", null, null);
    }

    public static StartBackupRequest push(AgentRig rig, String jobId, List<BackupDisk> disks, List<DiskBitmap> checkpoint,
            boolean reuse) {
        return new StartBackupRequest(rig.nextRequestId(), rig.config.hostId(), rig.qemu.domain(), jobId,
                new BackupDefinition(BackupMode.PUSH, null, null, disks), checkpoint, reuse);
    }

    public static StartBackupRequest pull(AgentRig rig, String jobId, BackupServer server, List<BackupDisk> disks,
            List<DiskBitmap> checkpoint) {
        return new StartBackupRequest(rig.nextRequestId(), rig.config.hostId(), rig.qemu.domain(), jobId,
                new BackupDefinition(BackupMode.PULL, null, server, disks), checkpoint, false);
    }

    public static AbortBackupRequest abort(AgentRig rig, String jobId) {
        return new AbortBackupRequest(rig.nextRequestId(), rig.config.hostId(), rig.qemu.domain(), jobId);
    }

    public static List<DiskBitmap> checkpoint(String name, String... disks) {
        return java.util.Arrays.stream(disks).map(disk -> new DiskBitmap(disk, name)).toList();
    }
}
