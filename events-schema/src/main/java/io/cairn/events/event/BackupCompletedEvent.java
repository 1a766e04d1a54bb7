package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A backup job ended; the last event of the job.
 *
 * @param commandId  the command that ended the job: the {@code backup.abort} whose abort ended it (this event is
 *                   that command's outcome), else the job's {@code backup.begin}
 * @param jobId      the job from {@link BackupStartedEvent#jobId()}
 * @param status     completed, failed or cancelled
 * @param success    libvirt's {@code success}: true only when every disk's data is complete
 * @param errmsg     libvirt's {@code errmsg} when the job failed
 * @param statistics the job's final statistics
 * @param beginCommandId the {@code backup.begin} that created the job, whatever ended it (null in events of
 *                   versions before it existed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupCompletedEvent(
        String eventId,
        Instant time,
        String domain,
        String commandId,
        String jobId,
        BackupCompletionStatus status,
        boolean success,
        String errmsg,
        BackupStatistics statistics,
        String beginCommandId) implements CairnEvent {

    public static final String TYPE = "backup-completed";

    /** An event without {@link #beginCommandId()} (as published before the field existed). */
    public BackupCompletedEvent(String eventId, Instant time, String domain, String commandId, String jobId,
            BackupCompletionStatus status, boolean success, String errmsg, BackupStatistics statistics) {
        this(eventId, time, domain, commandId, jobId, status, success, errmsg, statistics, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
