package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.CheckpointDefinition;
import java.time.Instant;
import java.util.List;

/**
 * A backup job is running; carries the plan libvirt settled on, so the user knows what to read or wait for.
 *
 * @param jobId       Cairn's id for this backup job, repeated in its progress and completion events
 * @param mode        push or pull
 * @param incremental the checkpoint the backup starts from; absent for a full backup
 * @param disks       per-disk plan: backup mode, incremental base, push target or pull scratch, export names
 * @param nbd         pull only: where to connect and which exports and bitmap contexts to read, with the key a TCP
 *                    server demands (the backup events topic is readable only by principals allowed to read it)
 * @param checkpoint  the checkpoint created together with the backup, if one was asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupStartedEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        String jobId,
        BackupMode mode,
        String incremental,
        List<BackupDisk> disks,
        NbdEndpoint nbd,
        CheckpointDefinition checkpoint) implements CairnEvent {

    public static final String TYPE = "backup-started";

    public BackupStartedEvent {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BackupStartedEvent withoutCredentials() {
        return nbd == null ? this : new BackupStartedEvent(eventId, time, domain, commandId, jobId, mode, incremental,
                disks, nbd.withoutKey(), checkpoint);
    }
}
