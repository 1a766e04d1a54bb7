package io.cairn.events.event;

import java.time.Instant;

/**
 * How far a running restore is (artifacts checked, then image written), at most once per
 * {@link BackupProgressEvent#MIN_INTERVAL} per restore.
 *
 * @param restoreId  the restore, as restore-completed names it
 * @param bytesTotal bytes the restore reads and writes in all (artifacts to check, disks to write)
 * @param bytesDone  of those, done
 */
public record RestoreProgressEvent(String eventId, Instant time, String domain, String commandId, String restoreId,
        long bytesTotal, long bytesDone) implements CairnEvent {

    public static final String TYPE = "restore-progress";

    @Override
    public String type() {
        return TYPE;
    }
}
