package io.cairn.events.event;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a running backup is; emitted at most once per {@link #MIN_INTERVAL} per job, so a fleet of backups
 * cannot flood the events topic.
 *
 * @param jobId      the job from {@link BackupStartedEvent#jobId()}
 * @param statistics libvirt's job statistics at {@link #time()}
 */
public record BackupProgressEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        String jobId,
        BackupStatistics statistics) implements CairnEvent {

    public static final String TYPE = "backup-progress";

    /** The least time between two progress events of one job. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);

    @Override
    public String type() {
        return TYPE;
    }
}
